package io.sluice.bench.files;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.bench.harness.ProcessCpu;
import io.sluice.testing.FreePorts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code taildir}: a {@code TAILDIR} source (batchSize 1000) follows ten files of 100-byte lines
 * into a {@code memory} channel drained by a {@code null} sink (batchSize 1000); the same
 * configuration on both products. The files are written once per benchmark (ten files of
 * {@link #linesPerFile()} lines, 7 GB by default) and every run reads them from their start with a
 * position file of its own. Measured at the channel's {@code EventTakeSuccessCount}, as
 * {@code memory-pipeline} is, over a steady-state window of the read (see {@link #compare}).
 *
 * <p>{@link #compare(BenchContext)} returns the comparison alone, for scenarios that gather several
 * file sources.
 */
public final class TaildirScenario implements Scenario {
    /** Files the group matches. */
    public static final int FILES = 10;
    /** The system property setting the lines per file (default {@value #DEFAULT_LINES_PER_FILE}). */
    static final String LINES_PER_FILE_PROPERTY = "sluice.bench.taildir.linesPerFile";
    /**
     * Lines per file by default; each line is 99 characters and a newline. 70 M lines in all keep
     * even a reader of 7 M lines/s inside its timed window for more than 8 s.
     */
    static final int DEFAULT_LINES_PER_FILE = 7_000_000;
    /**
     * The system property giving Sluice's source {@code readerThreads} (a Sluice-only key, Apache
     * Flume has no such setting and reads its files on one thread); unset, Sluice's default.
     */
    static final String READER_THREADS_PROPERTY = "sluice.bench.taildir.readerThreads";
    static final int LINE_BYTES = 100;
    /** The share of all lines read before the timed window opens: start-up, JIT warm-up, first batches. */
    static final double WARMUP_SHARE = 0.10;
    /** The share of all lines read when the timed window closes, before the last files' partial batches. */
    static final double END_SHARE = 0.95;
    private static final String COUNTER_GROUP = "CHANNEL.c1";
    private static final String COUNTER = "EventTakeSuccessCount";
    private static final long POLL_MILLIS = 20;

    @Override
    public String name() {
        return "taildir";
    }

    @Override
    public String description() {
        return "TAILDIR (10 files of 100-byte lines, batch 1000) -> memory channel -> null sink, events/s at the"
                + " channel's takes";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        return List.of(compare(context));
    }

    /** Lines per file: the system property {@value #LINES_PER_FILE_PROPERTY}, else the default. */
    static int linesPerFile() {
        String v = System.getProperty(LINES_PER_FILE_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_LINES_PER_FILE;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1000) {
            throw new IllegalArgumentException("-D" + LINES_PER_FILE_PROPERTY + "=" + v
                    + ": expected a whole number of lines per file, at least 1000");
        }
        return n;
    }

    /**
     * Writes the files and has each product read all of them, alternating products, as often as
     * the options say. A run's figure is a steady-state rate, the same rule for both products: the
     * window opens at the first counter reading at or above {@link #WARMUP_SHARE} of all lines
     * (so start-up, JIT compilation and the first batches are outside it) and closes at the first
     * reading at or above {@link #END_SHARE} (so the end of the files is outside it too); events/s
     * is the lines counted between the two readings over the time between them. The counter is
     * read every {@value #POLL_MILLIS} ms. The agent JVM's CPU time (user plus system, all threads,
     * from {@code /proc}) over the same window gives its CPU per event and the cores it kept busy,
     * and the threads that took most of it are logged. The warm-up and window options do not
     * apply.
     */
    public Comparison compare(BenchContext context) throws Exception {
        Path logs = context.workDirectory().resolve(name()).resolve("logs");
        int lines = linesPerFile();
        writeFiles(logs, lines);
        List<Double> flume = new ArrayList<>();
        List<Double> sluice = new ArrayList<>();
        for (int i = 1; i <= context.options().runs(); i++) {
            flume.add(measure(context, logs, lines, AgentSide.FLUME, i));
            sluice.add(measure(context, logs, lines, AgentSide.SLUICE, i));
        }
        return new Comparison(name(), AgentSide.FLUME.label(), sluice, flume);
    }

    private double measure(BenchContext context, Path logs, int lines, AgentSide side, int run) throws Exception {
        Path runDir = Files.createDirectories(context.workDirectory().resolve(name()).resolve(side.label() + "-" + run));
        Path conf = runDir.resolve("flume.conf");
        String config = config(logs, runDir.resolve("positions.json"));
        String readers = System.getProperty(READER_THREADS_PROPERTY);
        if (side == AgentSide.SLUICE && readers != null && !readers.isBlank()) {
            config += "a1.sources.r1.readerThreads = " + readers.trim() + "\n";
        }
        Files.writeString(conf, config);
        long total = (long) FILES * lines;
        long open = (long) (total * WARMUP_SHARE);
        long close = (long) (total * END_SHARE);
        int port = FreePorts.tcp();
        try (ChildJvm agent = side.start(context.home(), context.options().jvmOptions(), "a1", conf, port, runDir)) {
            MetricsClient metrics = new MetricsClient(port);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            MetricsClient.Reading first = null;
            MetricsClient.Reading start = null;
            MetricsClient.Reading end = null;
            MetricsClient.Reading last = null;
            long cpuStart = 0;
            long cpuEnd = 0;
            Map<String, Long> threadsStart = Map.of();
            Map<String, Long> threadsEnd = Map.of();
            while (last == null || last.value() < total) {
                if (!agent.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(side.label() + " did not read all " + total + " lines (last "
                            + last + "); log " + agent.logFile() + ":\n" + agent.logTail(30));
                }
                try {
                    last = metrics.read(COUNTER_GROUP, COUNTER);
                } catch (IOException e) {
                    // metrics not served yet
                    TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                    continue;
                }
                if (first == null && last.value() > 0) {
                    first = last;
                }
                if (start == null && last.value() >= open) {
                    start = last;
                    cpuStart = ProcessCpu.nanos(agent.pid());
                    threadsStart = ProcessCpu.threadNanosByName(agent.pid());
                }
                if (end == null && last.value() >= close) {
                    end = last;
                    cpuEnd = ProcessCpu.nanos(agent.pid());
                    threadsEnd = ProcessCpu.threadNanosByName(agent.pid());
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
            if (start == end) {
                throw new IllegalStateException(side.label() + " read from " + open + " to " + close
                        + " lines between two readings of its counter: the window is too short to time; raise -D"
                        + LINES_PER_FILE_PROPERTY);
            }
            double seconds = (end.nanoTime() - start.nanoTime()) / 1e9;
            long events = end.value() - start.value();
            double eps = events / seconds;
            double wholeSeconds = (last.nanoTime() - first.nanoTime()) / 1e9;
            double cpuSeconds = (cpuEnd - cpuStart) / 1e9;
            context.log(String.format(Locale.ROOT,
                    "%s run %d/%d %-6s eps=%.0f (%d events in %.2f s from line %d on, %s.%s) cpu_us_per_event=%.3f"
                            + " cores=%.2f threads: %s; whole read: %d events in %.2f s, %.0f/s",
                    name(), run, context.options().runs(), side.label(), eps, events, seconds, start.value(),
                    COUNTER_GROUP, COUNTER, cpuSeconds * 1e6 / events, cpuSeconds / seconds,
                    busiest(threadsStart, threadsEnd, seconds), last.value() - first.value(), wholeSeconds,
                    (last.value() - first.value()) / wholeSeconds));
            return eps;
        }
    }

    /** The four threads (by name) that used most CPU between two samples, as {@code name=cores}. */
    static String busiest(Map<String, Long> before, Map<String, Long> after, double seconds) {
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        after.forEach((n, v) -> used.add(Map.entry(n, v - before.getOrDefault(n, 0L))));
        used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(4, used.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(used.get(i).getKey()).append('=')
                    .append(String.format(Locale.ROOT, "%.2f", used.get(i).getValue() / 1e9 / seconds));
        }
        return b.toString();
    }

    /** The configuration, identical for both products but for the position file of each run. */
    static String config(Path logs, Path positionFile) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = TAILDIR",
                "a1.sources.r1.filegroups = f1",
                "a1.sources.r1.filegroups.f1 = " + logs.toAbsolutePath() + "/app-.*\\.log",
                "a1.sources.r1.positionFile = " + positionFile.toAbsolutePath(),
                "a1.sources.r1.batchSize = 1000",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 1000000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 1000",
                "a1.sinks.k1.channel = c1",
                "");
    }

    /** Ten files of {@code lines} numbered 100-byte lines each, unless a previous call wrote them already. */
    static void writeFiles(Path logs, int lines) throws IOException {
        Files.createDirectories(logs);
        byte[] line = new byte[LINE_BYTES];
        Arrays.fill(line, (byte) 'x');
        line[LINE_BYTES - 1] = '\n';
        line[2] = ' ';
        line[13] = ' ';
        for (int f = 0; f < FILES; f++) {
            Path file = logs.resolve("app-" + f + ".log");
            if (Files.exists(file) && Files.size(file) == (long) lines * LINE_BYTES) {
                continue;
            }
            digits(line, 0, 2, f);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                for (int i = 0; i < lines; i++) {
                    digits(line, 3, 10, i);
                    out.write(line);
                }
            }
        }
    }

    /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void digits(byte[] into, int at, int width, long value) {
        long v = value;
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }
}
