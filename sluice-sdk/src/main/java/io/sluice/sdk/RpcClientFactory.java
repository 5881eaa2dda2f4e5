package io.sluice.sdk;

import io.sluice.api.EventDeliveryException;
import java.util.Properties;

/**
 * Creates clients the way Apache Flume's {@code RpcClientFactory} does, from the same properties
 * (see {@link RpcClientConfig}). Stateless and thread-safe.
 */
public final class RpcClientFactory {

    private RpcClientFactory() {
    }

    /**
     * A client of the {@code client.type} in {@code props}. A {@code default} client connects at
     * once and throws when the agent cannot be reached; the others ({@code thrift} included) connect
     * on first use.
     *
     * @throws IllegalArgumentException when a property is wrong, naming the key
     */
    public static RpcClient getInstance(Properties props) throws EventDeliveryException {
        return getInstance(RpcClientConfig.fromProperties(props));
    }

    public static RpcClient getInstance(RpcClientConfig config) throws EventDeliveryException {
        switch (config.clientType()) {
            case RpcClientConfig.FAILOVER:
                return new FailoverRpcClient(config);
            case RpcClientConfig.LOAD_BALANCE:
                return new LoadBalancingRpcClient(config);
            case RpcClientConfig.THRIFT:
                // As Apache Flume's thrift client: connections are opened on first use.
                return new ThriftRpcClient(config);
            default:
                NettyRpcClient c = new NettyRpcClient(config);
                try {
                    c.connect();
                } catch (EventDeliveryException | RuntimeException e) {
                    c.close();
                    throw e;
                }
                return c;
        }
    }

    /** A {@code default} client for one agent, with batch size 100. */
    public static RpcClient getDefaultInstance(String host, int port) throws EventDeliveryException {
        return getDefaultInstance(host, port, 100);
    }

    public static RpcClient getDefaultInstance(String host, int port, int batchSize) throws EventDeliveryException {
        return getInstance(RpcClientConfig.builder().host(host, port).batchSize(batchSize).build());
    }
}
