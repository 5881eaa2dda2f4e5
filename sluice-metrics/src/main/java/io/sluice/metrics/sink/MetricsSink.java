package io.sluice.metrics.sink;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.SnapshotFile;
import io.sluice.metrics.store.ValueType;
import io.sluice.metrics.text.ExpositionParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Writes the samples carried by events into the embedded {@link MetricsStore}. An event carries
 * the samples of one scrape (or one file) in its body, one per line in the Prometheus text format
 * ({@link io.sluice.metrics.text.SampleWriter}); header {@code metrics.format = openmetrics} reads
 * the body as OpenMetrics instead. A sample without a timestamp takes the event's
 * {@code timestamp} header, else the time it is stored.
 *
 * <p>A line that does not parse, or a sample the store refuses (NaN, a type clash, too old, the
 * series limit), is counted ({@code SampleRejectedCount}) and logged at most every 10 s; the rest
 * of the event is stored: the store is a cache of recent history, and a poison line must not hold
 * every later scrape back. The store is snapshotted every {@code snapshot.interval} and at stop,
 * and restored at start; a damaged snapshot is moved aside and reported.
 *
 * <p>Thread-safety: {@code deliver} runs on the sink's runner thread; snapshots run on their own
 * thread and read series under each series' lock; queries read concurrently.
 */
public final class MetricsSink extends AbstractBatchSink {
    /** Event header naming the body's format: {@code prometheus} (default) or {@code openmetrics}. */
    public static final String FORMAT_HEADER = "metrics.format";
    static final String SAMPLES_ACCEPTED = "SampleAcceptedCount";
    static final String SAMPLES_REJECTED = "SampleRejectedCount";
    static final String SNAPSHOTS = "SnapshotCount";
    static final String SNAPSHOT_FAILURES = "SnapshotFailCount";
    static final String SERIES = "SeriesCount";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSink.class);

    private final MetricsStore store;
    private final Path snapshot;
    private final long snapshotIntervalMillis;
    private final Clock clock;
    private final QueryServer.Settings query;
    private final LongAdder accepted;
    private final LongAdder rejected;
    private final LongAdder snapshots;
    private final LongAdder snapshotFailures;
    private final LongAdder seriesGauge;
    private final RateLimitedLog rejectLog = new RateLimitedLog(Duration.ofSeconds(10));
    private ScheduledExecutorService snapshotter;
    private QueryServer server;

    MetricsSink(String name, String label, int batchSize, SinkCounter counter, MetricsStore store, Path snapshot,
            long snapshotIntervalMillis, Clock clock, QueryServer.Settings query) {
        super(name, label, batchSize, counter);
        this.store = requireNonNull(store, "store is null");
        this.snapshot = snapshot;
        this.snapshotIntervalMillis = snapshotIntervalMillis;
        this.clock = requireNonNull(clock, "clock is null");
        this.query = query;
        this.accepted = counter.counter(SAMPLES_ACCEPTED);
        this.rejected = counter.counter(SAMPLES_REJECTED);
        this.snapshots = counter.counter(SNAPSHOTS);
        this.snapshotFailures = counter.counter(SNAPSHOT_FAILURES);
        this.seriesGauge = counter.counter(SERIES);
    }

    public MetricsStore store() {
        return store;
    }

    /** Live feeds ({@code /api/v1/stream}) open now. */
    int queryStreamsOpen() {
        QueryServer s = server;
        return s == null ? 0 : s.streams().openStreams();
    }

    /** The query API's port, or -1 when it is off. */
    public int queryPort() {
        return server == null ? -1 : server.port();
    }

    @Override
    protected void doStart() {
        super.doStart();
        if (snapshot != null) {
            restore();
            if (snapshotIntervalMillis > 0) {
                snapshotter = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, label() + "-snapshot");
                    t.setDaemon(true);
                    return t;
                });
                snapshotter.scheduleWithFixedDelay(this::snapshotQuietly, snapshotIntervalMillis,
                        snapshotIntervalMillis, TimeUnit.MILLISECONDS);
            }
        }
        if (query != null) {
            try {
                server = QueryServer.start(label(), store, clock, query);
            } catch (IOException e) {
                throw new IllegalStateException("[" + label() + "] " + e.getMessage(), e);
            }
        }
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (snapshotter != null) {
            snapshotter.shutdownNow();
            try {
                snapshotter.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            snapshotter = null;
        }
        if (snapshot != null) {
            snapshotQuietly();
        }
        super.doStop();
    }

    private void restore() {
        try {
            long n = SnapshotFile.restore(store, snapshot);
            if (n >= 0) {
                LOG.info("[{}] restored {} series from {}", label(), n, snapshot);
            }
        } catch (SnapshotFile.DamagedSnapshotException e) {
            Path aside = snapshot.resolveSibling(snapshot.getFileName() + ".damaged-" + clock.millis());
            try {
                Files.move(snapshot, aside, StandardCopyOption.ATOMIC_MOVE);
                LOG.error("[{}] {}. The file was kept as {}; the store starts from what was restored", label(),
                        e.getMessage(), aside);
            } catch (IOException m) {
                LOG.error("[{}] {}. It could not be moved aside ({}); it will be overwritten by the next snapshot"
                        + " unless moved by hand", label(), e.getMessage(), m.toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("[" + label() + "] cannot read metrics snapshot " + snapshot + ": " + e
                    + " (check the file's permissions, or move it away to start empty)", e);
        }
        seriesGauge.reset();
        seriesGauge.add(store.seriesCount());
    }

    /** Writes a snapshot now; failures are counted and logged. */
    void snapshotQuietly() {
        try {
            long n = SnapshotFile.write(store, snapshot);
            snapshots.increment();
            LOG.debug("[{}] snapshot of {} series written to {}", label(), n, snapshot);
        } catch (IOException | RuntimeException e) {
            snapshotFailures.increment();
            LOG.error("[{}] cannot write metrics snapshot {}: {} (the previous snapshot, if any, is intact)", label(),
                    snapshot, e.toString());
        }
    }

    @Override
    protected void deliver(List<Event> events) throws EventDeliveryException {
        long now = clock.millis();
        for (Event e : events) {
            long eventTime = now;
            String ts = e.header("timestamp");
            if (ts != null) {
                try {
                    eventTime = Long.parseLong(ts);
                } catch (NumberFormatException ignored) {
                    // not epoch milliseconds: the samples take the time they are stored
                }
            }
            long defaultTime = eventTime;
            boolean om = "openmetrics".equalsIgnoreCase(e.header(FORMAT_HEADER));
            String body = new String(e.body(), StandardCharsets.UTF_8);
            List<ExpositionParser.Problem> problems = ExpositionParser.parse(body, om,
                    (name, labels, type, value, text, time) -> store(name, labels, type, value, text,
                            time == Long.MIN_VALUE ? defaultTime : time));
            if (!problems.isEmpty()) {
                rejected.add(problems.size());
                if (rejectLog.allow()) {
                    LOG.warn("[{}] {} line(s) of an event did not parse and were skipped, first {}", label(),
                            problems.size(), problems.get(0));
                }
            }
        }
        seriesGauge.reset();
        seriesGauge.add(store.seriesCount());
    }

    private void store(String name, String[] labels, ValueType type, double value, String text, long time) {
        SeriesKey key = SeriesKey.of(name, labels);
        boolean ok = type == ValueType.STRING ? store.addString(key, time, text) : store.add(key, type, time, value);
        if (ok) {
            accepted.increment();
        } else {
            rejected.increment();
            if (rejectLog.allow()) {
                LOG.warn("[{}] the store refused a sample of {} at {} (NaN or infinite, older than every ring, a"
                        + " type clash or the series limit; see SampleRejectedCount)", label(), key, time);
            }
        }
    }
}
