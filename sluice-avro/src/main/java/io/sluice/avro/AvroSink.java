package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.deadletter.EventRejectedException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code avro} sink: an {@link RpcSink} over the SDK's {@code default} client, which connects
 * with one Avro IPC handshake round trip. See {@link RpcSink} for the delivery contract.
 *
 * <p>An event larger on the wire than {@code max-event-bytes} is never sent: the next agent would
 * refuse the request holding it (a Sluice avro source closes the connection of a request over its
 * {@code max-frame-bytes}), and the sink would send it again forever. It is rejected instead
 * ({@link EventRejectedException}): with {@code deadLetter.channel} it is set aside there and the
 * rest of the batch is sent; without one the batch fails as before. A failure of the connection or
 * of the next agent never rejects an event.
 *
 * <p>{@link #process()} is called by one runner thread at a time; start/stop are synchronized.
 */
public final class AvroSink extends RpcSink {
    private final long maxEventBytes;

    public AvroSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            SinkCounter counter) {
        this(name, logName, clientConfig, resetIntervalMillis, AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES, counter);
    }

    /** @param maxEventBytes the largest event, in bytes on the wire, sent to the next agent */
    public AvroSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            long maxEventBytes, SinkCounter counter) {
        super(name, logName, "Avro", clientConfig, AvroSink::connect, resetIntervalMillis, counter);
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes: " + maxEventBytes + " (expected: > 0)");
        }
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    protected void deliver(List<Event> events) throws EventDeliveryException {
        List<Event> fitting = null;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            long size = wireSize(e);
            if (size > maxEventBytes) {
                if (fitting == null) {
                    fitting = new ArrayList<>(events.subList(0, i));
                }
                reject(new EventRejectedException(e, "event of " + size + " bytes on the wire is over max-event-bytes "
                        + maxEventBytes + " (the largest event the next agent takes; see its max-frame-bytes)"));
            } else if (fitting != null) {
                fitting.add(e);
            }
        }
        List<Event> send = fitting == null ? events : fitting;
        if (!send.isEmpty()) {
            super.deliver(send);
        }
    }

    /** The bytes {@code event} takes in an Avro {@code AvroFlumeEvent}: an upper bound (every length as 5 bytes). */
    static long wireSize(Event event) {
        long size = 5L + event.bodyLength() + 5 + 1;
        for (Map.Entry<String, String> h : event.headers().entrySet()) {
            size += 10L + utf8Length(h.getKey()) + utf8Length(h.getValue());
        }
        return size;
    }

    private static long utf8Length(String s) {
        long n = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    private static NettyRpcClient connect(RpcClientConfig config) throws EventDeliveryException {
        return connectOrClose(new NettyRpcClient(config), NettyRpcClient::connect);
    }
}
