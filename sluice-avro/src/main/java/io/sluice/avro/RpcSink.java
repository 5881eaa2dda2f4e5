package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.deadletter.EventRejectedException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.sdk.BatchRefusedException;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * <p><b>Request size.</b> No request is larger than {@code max-request-bytes} (by default the
 * receiving source's default {@code max-frame-bytes}): the next agent would refuse a larger one
 * whole, and the sink would send it again forever. A batch whose events add up to more is sent as
 * several {@code appendBatch} requests, one after the other, in order, inside the one channel
 * transaction: the take commits only when every request was answered {@code OK}; when one fails,
 * the whole take is rolled back and sent again (requests already accepted are then delivered a
 * second time: at-least-once). An event that alone does not fit in a request (or is over the avro
 * sink's {@code max-event-bytes}) is never sent: it is rejected with its size and the limit, set
 * aside in {@code deadLetter.channel} when the sink has one, else the batch fails with that message.
 * Sizes are upper bounds of the encoded size (see {@link #wireSize(Event)}), so a request counted as
 * fitting always fits.
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

    /** Bytes a request takes besides its events (call header, array framing), as an upper bound. */
    static final long REQUEST_OVERHEAD_BYTES = 64;
    /** The smallest {@code max-request-bytes}: the smallest {@code max-frame-bytes} a source takes. */
    public static final long MIN_REQUEST_BYTES = 1024;

    private final String logName;
    private final String protocol;
    private final long maxRequestBytes;
    private final long maxEventBytes;
    private final String eventLimitKey;
    private final List<Event> request = new ArrayList<>();
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
     * @param maxRequestBytes     the largest request sent ({@code max-request-bytes}), at least {@value #MIN_REQUEST_BYTES}
     * @param maxEventBytes       the largest event sent, or {@link Long#MAX_VALUE}: only the request limit
     * @param eventLimitKey       the key that sets {@code maxEventBytes}, for messages
     */
    protected RpcSink(String name, String logName, String protocol, RpcClientConfig clientConfig, Connector connector,
            long resetIntervalMillis, long maxRequestBytes, long maxEventBytes, String eventLimitKey,
            SinkCounter counter) {
        super(name, logName, requireNonNull(clientConfig, "clientConfig is null").batchSize(), counter);
        if (maxRequestBytes < MIN_REQUEST_BYTES) {
            throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " (expected: >= "
                    + MIN_REQUEST_BYTES + ")");
        }
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes: " + maxEventBytes + " (expected: > 0)");
        }
        this.maxRequestBytes = maxRequestBytes;
        this.maxEventBytes = maxEventBytes;
        this.eventLimitKey = requireNonNull(eventLimitKey, "eventLimitKey is null");
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

    /**
     * Sends the batch as {@code appendBatch} requests of at most {@code max-request-bytes} each, in
     * order; returns when the next agent answered {@code OK} to every one. An event too large for
     * any request is rejected (see the class comment).
     */
    @Override
    protected void deliver(List<Event> events) throws EventDeliveryException {
        long room = maxRequestBytes - REQUEST_OVERHEAD_BYTES;
        long bytes = 0;
        boolean whole = true;
        int n = events.size();
        for (int i = 0; i < n; i++) {
            long size = wireSize(events.get(i));
            if (size > maxEventBytes || size > room || bytes + size > room) {
                whole = false;
                break;
            }
            bytes += size;
        }
        if (whole) {
            appendBatch(events);
            return;
        }
        try {
            deliverSplit(events, room);
        } finally {
            request.clear();
        }
    }

    private void deliverSplit(List<Event> events, long room) throws EventDeliveryException {
        long bytes = 0;
        for (int i = 0, n = events.size(); i < n; i++) {
            Event e = events.get(i);
            long size = wireSize(e);
            if (size > maxEventBytes) {
                reject(new EventRejectedException(e, "event of " + size + " bytes on the wire is over "
                        + eventLimitKey + " " + maxEventBytes
                        + " (the largest event the next agent takes; see its max-frame-bytes)"));
                continue;
            }
            if (size > room) {
                reject(new EventRejectedException(e, "event of " + size + " bytes on the wire does not fit in one"
                        + " request of max-request-bytes " + maxRequestBytes + " (" + REQUEST_OVERHEAD_BYTES
                        + " of them for the request itself); raise max-request-bytes together with the next agent's"
                        + " max-frame-bytes, or make the event smaller"));
                continue;
            }
            if (!request.isEmpty() && bytes + size > room) {
                appendBatch(request);
                request.clear();
                bytes = 0;
            }
            request.add(e);
            bytes += size;
        }
        if (!request.isEmpty()) {
            appendBatch(request);
        }
    }

    /** One {@code appendBatch}; returns when the next agent answered {@code OK}. */
    private void appendBatch(List<Event> events) throws EventDeliveryException {
        RpcClient c = client;
        if (c == null) {
            throw new EventDeliveryException("[" + logName + "] the sink was stopped while sending");
        }
        c.appendBatch(events);
    }

    /**
     * An upper bound of the bytes {@code event} takes in a request, in Avro's {@code AvroFlumeEvent}
     * and in Thrift's binary and compact {@code ThriftFlumeEvent} encodings alike: every length and
     * field header counted at its largest.
     */
    static long wireSize(Event event) {
        long size = 17L + event.bodyLength();
        for (Map.Entry<String, String> h : event.headers().entrySet()) {
            size += 10L + utf8Length(h.getKey()) + utf8Length(h.getValue());
        }
        return size;
    }

    private static long utf8Length(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return s.length();
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
