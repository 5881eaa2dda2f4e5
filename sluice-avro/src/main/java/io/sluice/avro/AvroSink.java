package io.sluice.avro;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;

/**
 * The {@code avro} sink: an {@link RpcSink} over the SDK's {@code default} client, which connects
 * with one Avro IPC handshake round trip. See {@link RpcSink} for the delivery contract.
 *
 * <p>No request is larger than {@code max-request-bytes} (a batch is split into several requests
 * within its transaction), and an event larger on the wire than {@code max-event-bytes}, or too
 * large for any request, is never sent: the next agent would refuse the request holding it (a
 * Sluice avro source refuses a request over its {@code max-frame-bytes}), and the sink would send
 * it again forever. It is rejected instead ({@link io.sluice.api.deadletter.EventRejectedException}):
 * with {@code deadLetter.channel} it is set aside there and the rest of the batch is sent; without
 * one the batch fails with the event's size and the limit. A failure of the connection or of the
 * next agent never rejects an event.
 *
 * <p>{@link #process()} is called by one runner thread at a time; start/stop are synchronized.
 */
public final class AvroSink extends RpcSink {

    public AvroSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            SinkCounter counter) {
        this(name, logName, clientConfig, resetIntervalMillis, AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES,
                AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES, counter);
    }

    /**
     * @param maxEventBytes   the largest event, in bytes on the wire, sent to the next agent
     * @param maxRequestBytes the largest request sent to the next agent
     */
    public AvroSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            long maxEventBytes, long maxRequestBytes, SinkCounter counter) {
        super(name, logName, "Avro", clientConfig, AvroSink::connect, resetIntervalMillis, maxRequestBytes,
                maxEventBytes, "max-event-bytes", counter);
    }

    private static NettyRpcClient connect(RpcClientConfig config) throws EventDeliveryException {
        return connectOrClose(new NettyRpcClient(config), NettyRpcClient::connect);
    }
}
