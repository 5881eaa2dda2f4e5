package io.sluice.thrift;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.avro.RpcSink;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.ThriftRpcClient;

/**
 * The {@code thrift} sink: an {@link RpcSink} over the SDK's {@code thrift} client with one
 * connection (TCP connect, plus the TLS handshake with {@code ssl}). See {@link RpcSink} for the
 * delivery contract: the take commits only on {@code OK}; anything else rolls it back; a batch over
 * {@code max-request-bytes} is sent as several requests within its transaction.
 *
 * <p>{@link #process()} is called by one runner thread at a time; start/stop are synchronized.
 */
public final class ThriftSink extends RpcSink {

    /** @param clientConfig a {@code thrift} client configuration for one host */
    public ThriftSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            SinkCounter counter) {
        this(name, logName, clientConfig, resetIntervalMillis, ThriftSourceConfig.DEFAULT_MAX_FRAME_BYTES, counter);
    }

    /** @param maxRequestBytes the largest request sent ({@code max-request-bytes}); a batch over it is split */
    public ThriftSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            long maxRequestBytes, SinkCounter counter) {
        super(name, logName, "Thrift (" + clientConfig.thriftProtocol().key() + ")", clientConfig,
                ThriftSink::connect, resetIntervalMillis, maxRequestBytes, Long.MAX_VALUE, "max-request-bytes",
                counter);
    }

    private static ThriftRpcClient connect(RpcClientConfig config) throws EventDeliveryException {
        return connectOrClose(new ThriftRpcClient(config), ThriftRpcClient::connect);
    }
}
