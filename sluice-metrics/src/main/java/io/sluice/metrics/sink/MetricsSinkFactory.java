package io.sluice.metrics.sink;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code metrics} sink: samples into the embedded multi-resolution store. Keys:
 * {@code batchSize} (100), {@code rings} (60x1m,48x5m,96x15m,72x1h), {@code maxSeries} (1000000),
 * {@code snapshot.file} (metrics-&lt;sink&gt;.snapshot in the agent's data directory; {@code none}
 * for no snapshots), {@code snapshot.interval} (300 s; 0: only at stop), {@code query.port} (not set: no query API),
 * {@code query.bind} (127.0.0.1), {@code query.token} (random, written to the run directory),
 * {@code query.threads} (2), {@code query.queueSize} (16), {@code query.timeout} (30000 ms).
 */
public final class MetricsSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
            "Events (each one scrape or file of samples) taken from the channel per transaction.").atLeast(1);
    public static final ConfigKey<String> RINGS = ConfigKey.stringKey("rings", RingSpec.DEFAULT,
            "The store's resolutions, finest first, as BUCKETSxRESOLUTION (units s, m, h, d), each resolution a"
                    + " whole multiple of the previous one. The default is Artimon's: 60 buckets of 1 minute, 48 of"
                    + " 5 minutes, 96 of 15 minutes, 72 of 1 hour.");
    public static final ConfigKey<Integer> MAX_SERIES = ConfigKey.intKey("maxSeries", 1_000_000,
            "Most series the store holds; samples of further series are refused and counted in"
                    + " SampleRejectedCount. With the default rings a series takes about 3.8 KiB of heap.")
            .atLeast(1);
    public static final ConfigKey<String> SNAPSHOT_FILE = ConfigKey.stringKey("snapshot.file", null,
            "File the store is snapshotted to and restored from (temp file, fsync, rename). Default:"
                    + " metrics-<sink>.snapshot in the agent's data directory; none: no snapshots.");
    public static final ConfigKey<Long> SNAPSHOT_INTERVAL = ConfigKey.longKey("snapshot.interval", 300L,
            "Seconds between snapshots; 0: only when the sink stops.").atLeast(0);

    public static final ConfigKey<Integer> QUERY_PORT = ConfigKey.intKey("query.port", null,
            "Port of the query API (/api/query, /api/v1/query_range, /api/v1/series); 0 picks a free one. Not set:"
                    + " no query API.").between(0, 65535);
    public static final ConfigKey<String> QUERY_BIND = ConfigKey.stringKey("query.bind", "127.0.0.1",
            "Address the query API listens on; keep 127.0.0.1 unless other hosts may read the metrics.");
    public static final ConfigKey<String> QUERY_TOKEN = ConfigKey.stringKey("query.token", null,
            "Bearer token the query API requires. Default: a random one, written to <agent>-<port>.token (mode"
                    + " 0600) in the run directory (-Dsluice.run.dir, else the agent's data directory).");

    public static final ConfigKey<Integer> QUERY_THREADS = ConfigKey.intKey("query.threads",
            QueryServer.DEFAULT_THREADS, "Worker threads running queries, off the query API's network threads,"
                    + " so a long query never holds up another request.").between(1, 64);
    public static final ConfigKey<Integer> QUERY_QUEUE_SIZE = ConfigKey.intKey("query.queueSize",
            QueryServer.DEFAULT_QUEUE, "Queries that may wait for a worker; one more is answered 503 at once.")
            .between(0, 10_000);
    public static final ConfigKey<Long> QUERY_TIMEOUT = ConfigKey.longKey("query.timeout",
            QueryServer.DEFAULT_TIMEOUT_MILLIS, "Milliseconds a query may take from its arrival (waiting"
                    + " included); past them it is answered 503 (errorType timeout) and stopped.").atLeast(1);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "metrics")
            .keys(BATCH_SIZE, RINGS, MAX_SERIES, SNAPSHOT_FILE, SNAPSHOT_INTERVAL, QUERY_PORT, QUERY_BIND,
                    QUERY_TOKEN, QUERY_THREADS, QUERY_QUEUE_SIZE, QUERY_TIMEOUT)
            .description("Stores the samples of scrape events in an embedded multi-resolution store (Artimon's"
                    + " rings of count, sum, min, max, first, last).")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        int batch = context.get(BATCH_SIZE);
        String ringsText = context.get(RINGS);
        int maxSeries = context.get(MAX_SERIES);
        String file = context.get(SNAPSHOT_FILE);
        long interval = context.get(SNAPSHOT_INTERVAL);
        Integer queryPort = context.get(QUERY_PORT);
        String bind = context.get(QUERY_BIND);
        String token = context.get(QUERY_TOKEN);
        // read even without query.port, so a wrong value is reported rather than taken for an unknown key
        int queryThreads = context.get(QUERY_THREADS);
        int queryQueue = context.get(QUERY_QUEUE_SIZE);
        long queryTimeout = context.get(QUERY_TIMEOUT);
        List<RingSpec> rings;
        try {
            rings = RingSpec.parseList(ringsText);
        } catch (IllegalArgumentException e) {
            context.problem(RINGS.name(), ringsText, e.getMessage(),
                    "write the rings finest first, e.g. " + RingSpec.DEFAULT);
            return null;
        }
        Path snapshot;
        if (file == null || file.isBlank()) {
            snapshot = context.dataDirectory().resolve("metrics-" + context.name() + ".snapshot");
        } else if (file.trim().equals("none")) {
            snapshot = null;
        } else {
            snapshot = Path.of(file.trim());
        }
        QueryServer.Settings query = null;
        if (queryPort != null) {
            String runDir = System.getProperty("sluice.run.dir");
            query = new QueryServer.Settings(bind.trim(), queryPort, token == null || token.isBlank() ? null
                    : token.trim(), runDir == null ? context.dataDirectory() : Path.of(runDir), context.agentName(),
                    queryThreads, queryQueue, queryTimeout);
        }
        SinkCounter counter = context.counters().register(new SinkCounter(context.name()));
        return new MetricsSink(context.name(), context.label(), batch, counter, new MetricsStore(rings, maxSeries),
                snapshot, interval * 1000L, context.clock(), query);
    }
}
