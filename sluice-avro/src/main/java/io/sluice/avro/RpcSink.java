package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.sdk.BatchRefusedException;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A sink that sends to the next agent through an SDK client (the base of the {@code avro} and
 * {@code thrift} sinks, as Apache Flume's {@code AbstractRpcSink} is of its two): takes up to
 * {@code batch-size} events in one transaction, sends them as one {@code appendBatch} and commits
 * the take only when the next agent answers {@code OK}. On a refusal, an error, a timeout or a lost
 * connection it rolls the take back (the events stay in the channel, in order), drops the
 * connection unless the agent merely refused the batch, and throws, so the sink runner backs off
 * before the next attempt; the next attempt reconnects. One batch is in flight at a time, so order
 * is kept and each transaction stays on the runner thread that owns it.
 *
 * <p>The transaction and counters are {@link AbstractBatchSink}'s; this class connects, sends and
 * drops a broken connection. {@link #process()} is called by one runner thread at a time;
 * start/stop are synchronized.
 */
public abstract class RpcSink extends AbstractBatchSink {
    private static final Logger LOG = LoggerFactory.getLogger(RpcSink.class);

    /** Opens a client for the configuration and connects it, or throws (closing what it opened). */
    @FunctionalInterface
    public interface Connector {
        RpcClient connect(RpcClientConfig config) throws EventDeliveryException;
    }

    /** Connects a client it was handed (such as {@code NettyRpcClient::connect}). */
    @FunctionalInterface
    public interface Connect<C extends RpcClient> {
        void connect(C client) throws EventDeliveryException;
    }

    /** Connects {@code client}, closing it when connecting fails; for {@link Connector}s. */
    protected static <C extends RpcClient> C connectOrClose(C client, Connect<C> connect)
            throws EventDeliveryException {
        try {
            connect.connect(client);
            return client;
        } catch (EventDeliveryException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private final String logName;
    private final String protocol;
    private final RpcClientConfig clientConfig;
    private final Connector connector;
    private final long resetIntervalMillis;
    private final SinkCounter counter;
    private final RateLimitedLog failLog = new RateLimitedLog(Duration.ofSeconds(5));
    private volatile RpcClient client;
    private long clientOpenedAt;

    /**
     * @param protocol            the protocol's name for log lines, such as {@code Avro}
     * @param resetIntervalMillis reopen the connection after this long; 0: never
     */
    protected RpcSink(String name, String logName, String protocol, RpcClientConfig clientConfig, Connector connector,
            long resetIntervalMillis, SinkCounter counter) {
        super(name, logName, requireNonNull(clientConfig, "clientConfig is null").batchSize(), counter);
        this.logName = logName;
        this.protocol = requireNonNull(protocol, "protocol is null");
        this.clientConfig = clientConfig;
        this.connector = requireNonNull(connector, "connector is null");
        this.resetIntervalMillis = resetIntervalMillis;
        this.counter = counter;
    }

    @Override
    public String batchSizeKey() {
        return "batch-size";
    }

    @Override
    protected void doStart() {
        getChannel(); // fails fast when the agent has not set the channel
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] {} sink started, sending to {}", logName, protocol, target());
    }

    @Override
    protected void doStop() {
        closeClient("sink stopped");
        counter.markStopped(System.currentTimeMillis());
        LOG.info("[{}] {} sink stopped; counters {}", logName, protocol, counter.snapshot());
    }

    /** Connects, or reconnects when reset-connection-interval has passed, before the take. */
    @Override
    protected void beforeBatch() throws EventDeliveryException {
        client();
    }

    /** One {@code appendBatch}; returns when the next agent answered {@code OK}. */
    @Override
    protected void deliver(List<Event> events) throws EventDeliveryException {
        RpcClient c = client;
        if (c == null) {
            throw new EventDeliveryException("[" + logName + "] the sink was stopped while sending");
        }
        c.appendBatch(events);
    }

    /** Drops the connection unless the agent merely refused the batch, so the next attempt reconnects. */
    @Override
    protected EventDeliveryException deliveryFailed(int taken, Exception failure) {
        if (!(failure instanceof BatchRefusedException)) {
            closeClient("send failed");
            counter.incrementConnectionFailed();
        }
        if (failLog.allow()) {
            LOG.warn("[{}] Sending {} event(s) failed, rolled back to retry: {} ({} more not logged)", logName,
                    taken, failure.getMessage(), failLog.takeSuppressed());
        }
        return new EventDeliveryException("[" + logName + "] sending " + taken + " event(s) to " + target()
                + " failed: " + failure.getMessage(), failure);
    }

    /** The next agent's {@code host:port}. */
    protected final String target() {
        return clientConfig.hosts().get(0).address();
    }

    private RpcClient client() throws EventDeliveryException {
        if (client != null && resetIntervalMillis > 0
                && System.currentTimeMillis() - clientOpenedAt >= resetIntervalMillis) {
            LOG.debug("[{}] reset-connection-interval passed; reconnecting", logName);
            closeClient("reset-connection-interval");
        }
        if (client == null) {
            RpcClient c;
            try {
                c = connector.connect(clientConfig);
            } catch (EventDeliveryException | RuntimeException e) {
                counter.incrementConnectionFailed();
                if (failLog.allow()) {
                    LOG.warn("[{}] Cannot connect to {}: {} ({} more not logged)", logName, target(), e.getMessage(),
                            failLog.takeSuppressed());
                }
                throw new EventDeliveryException("[" + logName + "] cannot connect to " + target() + ": "
                        + e.getMessage(), e);
            }
            counter.incrementConnectionCreated();
            client = c;
            clientOpenedAt = System.currentTimeMillis();
        }
        return client;
    }

    private synchronized void closeClient(String why) {
        if (client != null) {
            client.close();
            client = null;
            counter.incrementConnectionClosed();
            LOG.debug("[{}] Connection closed: {}", logName, why);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + logName + " -> " + target() + "]";
    }
}
