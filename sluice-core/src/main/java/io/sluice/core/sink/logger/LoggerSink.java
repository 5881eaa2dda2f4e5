package io.sluice.core.sink.logger;

import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractSink;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one event per transaction and logs it at INFO as
 * {@code Event: { headers:{...} body: 68 65 6C 6C 6F  hello }}, showing at most
 * {@code maxBytesToLog} body bytes. Called by one runner thread.
 */
public final class LoggerSink extends AbstractSink {
    private static final Logger LOG = LoggerFactory.getLogger(LoggerSink.class);

    private final String label;
    private final int maxBytesToLog;
    private final SinkCounter counter;

    public LoggerSink(String name, String label, int maxBytesToLog, SinkCounter counter) {
        super(name);
        this.label = label;
        this.maxBytesToLog = maxBytesToLog;
        this.counter = counter;
    }

    @Override
    protected void doStart() {
        counter.markStarted(System.currentTimeMillis());
    }

    @Override
    protected void doStop() {
        counter.markStopped(System.currentTimeMillis());
    }

    @Override
    public Status process() {
        Event event;
        try (Transaction tx = getChannel().getTransaction()) {
            tx.begin();
            event = tx.take();
            if (event != null) {
                counter.addDrainAttempts(1);
                if (LOG.isInfoEnabled()) {
                    LOG.info("[{}] Event: {}", label, format(event, maxBytesToLog));
                }
            }
            tx.commit();
        }
        if (event == null) {
            counter.batch(0, 1);
            return Status.BACKOFF;
        }
        counter.batch(1, 1);
        counter.addDrainSuccesses(1);
        return Status.READY;
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
