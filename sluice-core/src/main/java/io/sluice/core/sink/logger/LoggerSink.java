package io.sluice.core.sink.logger;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one event per transaction and logs it at INFO as
 * {@code Event: { headers:{...} body: 68 65 6C 6C 6F  hello }}, showing at most
 * {@code maxBytesToLog} body bytes. The transaction and counters are {@link AbstractBatchSink}'s.
 * Called by one runner thread.
 */
public final class LoggerSink extends AbstractBatchSink {
    private static final Logger LOG = LoggerFactory.getLogger(LoggerSink.class);

    private final int maxBytesToLog;

    public LoggerSink(String name, String label, int maxBytesToLog, SinkCounter counter) {
        super(name, label, 1, counter);
        this.maxBytesToLog = maxBytesToLog;
    }

    @Override
    protected void deliver(List<Event> events) {
        if (LOG.isInfoEnabled()) {
            for (int i = 0; i < events.size(); i++) {
                LOG.info("[{}] Event: {}", label(), format(events.get(i), maxBytesToLog));
            }
        }
    }

    /** {@code { headers:{...} body: <hex>  <printable> }} with at most {@code maxBytes} of the body. */
    public static String format(Event event, int maxBytes) {
        int n = Math.min(maxBytes, event.bodyLength());
        ByteBuffer body = event.bodyBuffer();
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int b = body.get(i) & 0xFF;
            hex.append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16))).append(' ');
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
        }
        return "{ headers:" + event.headers() + " body: " + hex + " " + text
                + (event.bodyLength() > n ? " ... (" + event.bodyLength() + " bytes)" : "") + " }";
    }
}
