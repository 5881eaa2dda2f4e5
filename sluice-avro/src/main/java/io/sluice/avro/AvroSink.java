package io.sluice.avro;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;

/**
 * The {@code avro} sink: an {@link RpcSink} over the SDK's {@code default} client, which connects
 * with one Avro IPC handshake round trip. See {@link RpcSink} for the delivery contract.
 *
 * <p>{@link #process()} is called by one runner thread at a time; start/stop are synchronized.
 */
public final class AvroSink extends RpcSink {

    public AvroSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            SinkCounter counter) {
        super(name, logName, "Avro", clientConfig, AvroSink::connect, resetIntervalMillis, counter);
    }

    private static NettyRpcClient connect(RpcClientConfig config) throws EventDeliveryException {
        return connectOrClose(new NettyRpcClient(config), NettyRpcClient::connect);
    }
}
