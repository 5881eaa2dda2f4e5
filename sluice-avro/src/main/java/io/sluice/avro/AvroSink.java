package io.sluice.avro;

import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractSink;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.sdk.BatchRefusedException;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code avro} sink: takes up to {@code batch-size} events in one transaction, sends them as
 * one {@code appendBatch} and commits the take only when the next agent answers {@code OK}. On a
 * refusal, an error, a timeout or a lost connection it rolls the take back (the events stay in the
 * channel, in order), drops the connection so the next attempt reconnects, and throws, so the
 * sink runner backs off before the next attempt. One batch is in flight at a time, so order is
 * kept and each transaction stays on the runner thread that owns it.
 *
 * <p>{@link #process()} is called by one runner thread at a time; start/stop are synchronized.
 */
public final class AvroSink extends AbstractSink {
    private static final Logger LOG = LoggerFactory.getLogger(AvroSink.class);

    private final String logName;
    private final RpcClientConfig clientConfig;
    private final long resetIntervalMillis;
    private final SinkCounter counter;
    private final List<Event> batch = new ArrayList<>();
    private final RateLimitedLog failLog = new RateLimitedLog(Duration.ofSeconds(5));
    private volatile NettyRpcClient client;
    private long clientOpenedAt;

    public AvroSink(String name, String logName, RpcClientConfig clientConfig, long resetIntervalMillis,
            SinkCounter counter) {
        super(name);
        this.logName = requireNonNull(logName, "logName is null");
        this.clientConfig = requireNonNull(clientConfig, "clientConfig is null");
        this.resetIntervalMillis = resetIntervalMillis;
        this.counter = requireNonNull(counter, "counter is null");
    }

    public SinkCounter counter() {
        return counter;
    }

    @Override
    protected void doStart() {
        getChannel(); // fails fast when the agent has not set the channel
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] Avro sink started, sending to {}", logName, clientConfig.hosts().get(0).address());
    }

    @Override
    protected void doStop() {
        closeClient("sink stopped");
        counter.markStopped(System.currentTimeMillis());
        LOG.info("[{}] Avro sink stopped; counters {}", logName, counter.snapshot());
    }

    @Override
    public Status process() throws EventDeliveryException {
        NettyRpcClient c = client();
        int size = clientConfig.batchSize();
        try (Transaction tx = getChannel().getTransaction()) {
            tx.begin();
            batch.clear();
            int n;
            try {
                n = tx.takeBatch(size, batch);
            } catch (ChannelException e) {
                counter.incrementChannelReadFail();
                tx.rollback();
                throw new EventDeliveryException("[" + logName + "] could not take from the channel: "
                        + e.getMessage(), e);
            }
            counter.batch(n, size);
            if (n == 0) {
                tx.commit();
                return Status.BACKOFF;
            }
            counter.addDrainAttempts(n);
            try {
                c.appendBatch(batch);
            } catch (EventDeliveryException | RuntimeException e) {
                tx.rollback();
                counter.incrementEventWriteFail();
                if (!(e instanceof BatchRefusedException)) {
                    closeClient("send failed");
                    counter.incrementConnectionFailed();
                }
                if (failLog.allow()) {
                    LOG.warn("[{}] Sending {} event(s) failed, rolled back to retry: {} ({} more not logged)", logName,
                            n, e.getMessage(), failLog.takeSuppressed());
                }
                throw new EventDeliveryException("[" + logName + "] sending " + n + " event(s) to "
                        + clientConfig.hosts().get(0).address() + " failed: " + e.getMessage(), e);
            } finally {
                batch.clear();
            }
            tx.commit();
            counter.addDrainSuccesses(n);
            return Status.READY;
        }
    }

    private NettyRpcClient client() throws EventDeliveryException {
        if (client != null && resetIntervalMillis > 0
                && System.currentTimeMillis() - clientOpenedAt >= resetIntervalMillis) {
            LOG.debug("[{}] reset-connection-interval passed; reconnecting", logName);
            closeClient("reset-connection-interval");
        }
        if (client == null) {
            NettyRpcClient c = new NettyRpcClient(clientConfig);
            try {
                c.connect();
            } catch (EventDeliveryException | RuntimeException e) {
                c.close();
                counter.incrementConnectionFailed();
                if (failLog.allow()) {
                    LOG.warn("[{}] Cannot connect to {}: {} ({} more not logged)", logName,
                            clientConfig.hosts().get(0).address(), e.getMessage(), failLog.takeSuppressed());
                }
                throw new EventDeliveryException("[" + logName + "] cannot connect to "
                        + clientConfig.hosts().get(0).address() + ": " + e.getMessage(), e);
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
        return "AvroSink[" + logName + " -> " + clientConfig.hosts().get(0).address() + "]";
    }
}
