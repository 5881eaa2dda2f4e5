package io.sluice.bench.metrics;

import com.sun.management.OperatingSystemMXBean;
import com.sun.net.httpserver.HttpServer;
import io.sluice.api.ComponentKind;
import io.sluice.api.Status;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.selector.ReplicatingChannelSelector;
import io.sluice.metrics.query.Evaluator;
import io.sluice.metrics.query.Expr;
import io.sluice.metrics.query.Matrix;
import io.sluice.metrics.query.QueryParser;
import io.sluice.metrics.sink.MetricsSink;
import io.sluice.metrics.sink.MetricsSinkFactory;
import io.sluice.metrics.source.PrometheusSource;
import io.sluice.metrics.source.PrometheusSourceFactory;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Artimon's load: 1,000 targets of 1,500 samples each (1.5 M samples, one series each) scraped in
 * one burst by a {@code prometheus} source through a memory channel into the {@code metrics}
 * sink, in this JVM with real HTTP on 127.0.0.1. It measures, over one scrape minute (or
 * {@code -Dsluice.bench.metrics.minutes}): samples stored per minute, how long the first burst took
 * to be stored, samples dropped (skipped scrapes, failed scrapes and samples the store refused),
 * the agent's CPU (the process' CPU time minus the exporters' threads, averaged over the minutes),
 * heap per series (used heap after GC, before and after; a series' rings are allocated whole when
 * it is created, so this is also its heap with every default ring full), and the time of a query
 * reducing 100,000 series by a label (median of 9; its CPU time too, for a machine busy with other
 * work). {@code -Dsluice.bench.metrics.targets} scales the number of targets (the heap needs about
 * 4 KiB per series: give 1.5 M series {@code -Xmx8g} through SLUICE_BENCH_JAVA_OPTS).
 * There is no peer: the line printed is {@code scenario=metrics ...} with the figures and the
 * targets they are held to.
 */
public final class MetricsScenario implements Scenario {
    static final int SAMPLES_PER_TARGET = 1500;

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public String description() {
        return "1,000 targets x 1,500 samples scraped in one burst into the metrics store; dropped, CPU,"
                + " heap/series, 100k-series query";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        int targets = Integer.getInteger("sluice.bench.metrics.targets", 1000);
        long minuteMillis = Long.getLong("sluice.bench.metrics.minuteMillis", 60_000L);
        int minutes = Integer.getInteger("sluice.bench.metrics.minutes", 1);
        if (targets < 1 || minutes < 1 || minuteMillis < 1000) {
            throw new IllegalArgumentException("sluice.bench.metrics.targets=" + targets + ", minutes=" + minutes
                    + ", minuteMillis=" + minuteMillis + " (expected: targets >= 1, minutes >= 1, minuteMillis >= 1000)");
        }
        List<byte[]> bodies = new ArrayList<>(targets);
        for (int t = 0; t < targets; t++) {
            StringBuilder sb = new StringBuilder(SAMPLES_PER_TARGET * 60);
            sb.append("# TYPE bench_metric gauge\n");
            for (int i = 0; i < SAMPLES_PER_TARGET; i++) {
                long global = (long) t * SAMPLES_PER_TARGET + i;
                sb.append("bench_metric{idx=\"").append(global).append("\",group=\"g").append(global % 100)
                        .append("\",part=\"").append(global / 100_000).append("\"} ").append(global % 977).append('\n');
            }
            bodies.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        ExecutorService exporterPool = Executors.newFixedThreadPool(4, r -> {
            Thread th = new Thread(r, "bench-exporter");
            th.setDaemon(true);
            return th;
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(exporterPool);
        StringBuilder list = new StringBuilder();
        for (int t = 0; t < targets; t++) {
            byte[] b = bodies.get(t);
            server.createContext("/t" + t, ex -> {
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
            });
            list.append("http://127.0.0.1:").append("PORT").append("/t").append(t).append(' ');
        }
        server.start();
        String targetList = list.toString().replace("PORT", Integer.toString(server.getAddress().getPort())).trim();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedAfterGc(mem);

        MemoryChannel channel = new MemoryChannel("c1", "bench.channels.c1", 2000, 100, Long.MAX_VALUE, 0,
                new ChannelCounter("c1"));
        channel.start();
        SingleComponentConfig sc = SingleComponentConfig.builder(ComponentKind.SOURCE, "scrape")
                .agentDataDirectory(context.workDirectory()).keys("targets", targetList, "interval",
                        Long.toString(Math.max(1, minuteMillis / 1000)), "scrapeThreads", "8")
                .build();
        PrometheusSource source = (PrometheusSource) new PrometheusSourceFactory().create(sc.context());
        if (!sc.problems().isEmpty()) {
            throw new IllegalStateException("bench source configuration: " + sc.problems());
        }
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(channel));
        source.setChannelProcessor(new DefaultChannelProcessor("bench.sources.scrape", selector, List.of(),
                new CounterGroup("CHANNEL_PROCESSOR", "scrape")));
        SingleComponentConfig kc = SingleComponentConfig.builder(ComponentKind.SINK, "store")
                .agentDataDirectory(context.workDirectory()).keys("batchSize", "100", "snapshot.file", "none",
                        "maxSeries", Integer.toString(targets * (SAMPLES_PER_TARGET + 3) + 10))
                .build();
        MetricsSink sink = (MetricsSink) new MetricsSinkFactory().create(kc.context());
        sink.setChannel(channel);
        sink.start();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread runner = new Thread(() -> {
            while (running.get()) {
                try {
                    if (sink.process() == Status.BACKOFF) {
                        LockSupport.parkNanos(1_000_000);
                    }
                } catch (Exception e) {
                    context.log("sink failed: " + e);
                }
            }
        }, "bench-sink-runner");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = processCpuNanos() - exporterCpu(threads);
        long wallStart = System.nanoTime();
        runner.start();
        source.start();
        long perMinute = (long) targets * (SAMPLES_PER_TARGET + 3);
        long expected = perMinute * minutes;
        long deadline = wallStart + TimeUnit.MILLISECONDS.toNanos(minuteMillis * minutes) - 1;
        long ingested = 0;
        long burstEnd = 0;
        long scrapesEnd = 0;
        while (System.nanoTime() < deadline) {
            if (scrapesEnd == 0 && source.counter().get("ScrapeCount") >= targets) {
                scrapesEnd = System.nanoTime();
            }
            ingested = sink.counter().get("SampleAcceptedCount");
            if (burstEnd == 0 && ingested + dropped(source, sink) >= perMinute) {
                burstEnd = System.nanoTime();
            }
            LockSupport.parkNanos(20_000_000);
        }
        // a burst not stored within its minute is late, not lost: let it finish (at most a minute more),
        // and count the time and CPU it takes
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // the first minute's burst ends when its samples are stored or dropped, whenever that is (also
        // in this wait, and with several minutes); one not done by the end of the wait is timed to it
        // (a lower bound, and not_stored_in_time says so), so burst_s is always a number
        long settled;
        while ((settled = sink.counter().get("SampleAcceptedCount") + dropped(source, sink)) < expected
                && System.nanoTime() < drainDeadline) {
            if (burstEnd == 0 && settled >= perMinute) {
                burstEnd = System.nanoTime();
            }
            LockSupport.parkNanos(20_000_000);
        }
        if (burstEnd == 0) {
            burstEnd = System.nanoTime();
        }
        long cpu = processCpuNanos() - exporterCpu(threads) - cpuStart;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        source.stop();
        running.set(false);
        runner.join();
        long dropped = dropped(source, sink);
        ingested = sink.counter().get("SampleAcceptedCount");
        int series = sink.store().seriesCount();
        long heapAfter = usedAfterGc(mem);
        double perSeries = (heapAfter - heapBefore) / (double) Math.max(1, series);

        Expr q = QueryParser.parse("sum by (group) (bench_metric{part=\"0\"})");
        List<Long> times = new ArrayList<>();
        List<Long> cpuTimes = new ArrayList<>();
        int reduced = 0;
        int selected = sink.store().lookup(List.of("__name__", "bench_metric", "part", "0")).length;
        for (int i = 0; i < 9; i++) {
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            Matrix m = new Evaluator(sink.store(), now, "last").evaluate(q, now - 600_000, now, 0);
            times.add(System.nanoTime() - t0);
            cpuTimes.add(threads.getCurrentThreadCpuTime() - c0);
            reduced = m.rows().size();
        }
        times.sort(null);
        cpuTimes.sort(null);
        double queryMs = times.get(times.size() / 2) / 1e6;
        double queryCpuMs = cpuTimes.get(cpuTimes.size() / 2) / 1e6;
        sink.stop();
        server.stop(0);
        exporterPool.shutdownNow();
        double burst = (burstEnd - wallStart) / 1e9;
        context.log(String.format(Locale.ROOT, "metrics: %d targets, %d minute(s) of %d ms, %d samples expected, %d"
                + " stored, %d series, every target scraped in %.1f s, the first minute stored in %.1f s, reduce of %d"
                + " series into %d groups", targets, minutes, minuteMillis, expected, ingested, series,
                scrapesEnd == 0 ? Double.NaN : (scrapesEnd - wallStart) / 1e9, burst, selected, reduced));
        String line = String.format(Locale.ROOT, "scenario=metrics targets=%d samples=%d samples_per_minute=%.0f"
                + " burst_s=%.1f dropped=%d not_stored_in_time=%d cpu_cores=%.2f heap_per_series=%.0f query_100k_ms=%.1f"
                + " query_100k_cpu_ms=%.1f query_series=%d (targets: dropped=0 cpu_cores<1 heap_per_series<=4096"
                + " query_100k_ms<100)", targets, expected, Math.min(ingested, expected) / (double) minutes, burst, dropped,
                Math.max(0, expected - ingested - dropped),
                cpu / 1e9 / wall, perSeries, queryMs, queryCpuMs, selected);
        context.log(line);
        return List.of();
    }

    private static long dropped(PrometheusSource source, MetricsSink sink) {
        return source.counter().get("SampleSkippedCount") + sink.counter().get("SampleRejectedCount")
                + source.counter().get("ScrapeFailCount") * SAMPLES_PER_TARGET;
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long exporterCpu(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("bench-exporter")
                    || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
                long c = threads.getThreadCpuTime(info.getThreadId());
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }

    private static long usedAfterGc(MemoryMXBean mem) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
