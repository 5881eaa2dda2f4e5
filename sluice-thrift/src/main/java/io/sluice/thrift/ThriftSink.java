package io.sluice.thrift;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.sdk.BatchRefusedException;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.ThriftRpcClient;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code thrift} sink: takes up to {@code batch-size} events in one transaction, sends them as
 * one {@code appendBatch} to a thrift source and commits the take only when it answers
 * {@code OK}. On a refusal, an error, a timeout or a lost connection it rolls the take back (the
 * events stay in the channel, in order), drops the connection unless the source merely refused,
 * and throws, so the sink runner backs off before the next attempt. One batch is in flight at a
 * time, on one connection.
 *
 * <p>The transaction and counters are {@link AbstractBatchSink}'s; this class connects, sends and
 * drops a broken connection. {@link #process()} is called by one runner thread at a time;
 * start/stop are synchronized.
 */
public final class ThriftSink extends AbstractBatchSink {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftSink.class);

    private final String logName;
    private final RpcClientConfig clientConfig;
    private final long resetIntervalMillis;
    private final SinkCounter counter;
    private final RateLimitedLog failLog = new RateLimitedLog(Duration.ofSeconds(5));
    private volatile ThriftRpcClient client;
    private long clientOpenedAt;

    /** @param clientConfig a {@code thrift} client configuration for one host */
    public ThriftSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            SinkCounter counter) {
        super(name, logName, requireNonNull(clientConfig, "clientConfig is null").batchSize(), counter);
        this.logName = logName;
        this.clientConfig = clientConfig;
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
        LOG.info("[{}] Thrift sink started, sending to {} ({} protocol)", logName, target(),
                clientConfig.thriftProtocol().key());
    }

    @Override
    protected void doStop() {
        closeClient("sink stopped");
        counter.markStopped(System.currentTimeMillis());
        LOG.info("[{}] Thrift sink stopped; counters {}", logName, counter.snapshot());
    }

    /** Connects, or reconnects when reset-connection-interval has passed, before the take. */
    @Override
    protected void beforeBatch() throws EventDeliveryException {
        client();
    }

    /** One {@code appendBatch}; returns when the next agent answered {@code OK}. */
    @Override
    protected void deliver(List<Event> events) throws EventDeliveryException {
        ThriftRpcClient c = client;
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

    private String target() {
        return clientConfig.hosts().get(0).address();
    }

    private ThriftRpcClient client() throws EventDeliveryException {
        if (client != null && resetIntervalMillis > 0
                && System.currentTimeMillis() - clientOpenedAt >= resetIntervalMillis) {
            LOG.debug("[{}] reset-connection-interval passed; reconnecting", logName);
            closeClient("reset-connection-interval");
        }
        if (client == null) {
            ThriftRpcClient c = new ThriftRpcClient(clientConfig);
            try {
                c.connect();
            } catch (EventDeliveryException | RuntimeException e) {
                c.close();
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
        return "ThriftSink[" + logName + " -> " + target() + "]";
    }
}
