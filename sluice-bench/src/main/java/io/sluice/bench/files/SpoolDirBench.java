package io.sluice.bench.files;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.harness.AgentSide;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code scenario=spooldir}: a spool directory holding one file of {@value #LINE_BYTES}-byte lines
 * ({@link BenchOptions#spoolBytes()}, 1 GiB by default), {@code spooldir} (batchSize 1000,
 * deserializer LINE) -> {@code memory} (capacity 1,000,000, transactionCapacity 1000) ->
 * {@code null} (batchSize 1000). The file is written once and hard-linked into each run's spool
 * directory, so every run reads the same bytes. A run is timed from the first delivered event to
 * the last: events/s = (events - the first reading) / (time of the reading that saw them all - time
 * of the first reading), readings every 50 ms of the channel's {@code EventTakeSuccessCount}.
 */
final class SpoolDirBench implements FilesScenario.SourceBench {
    static final int LINE_BYTES = 100;
    private static final long POLL_MILLIS = 50;
    /** Slower than this is not worth waiting for: the run fails. */
    private static final long MIN_EVENTS_PER_SECOND = 1000;

    static String config(Path spoolDir) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = spooldir",
                "a1.sources.r1.spoolDir = " + spoolDir,
                "a1.sources.r1.batchSize = 1000",
                "a1.sources.r1.channels = c1",
                FilesScenario.MEMORY_TO_NULL);
    }

    /** Writes {@code lines} numbered lines of exactly {@value #LINE_BYTES} bytes (with the newline). */
    static void writeFile(Path file, long lines) throws IOException {
        byte[] line = new byte[LINE_BYTES];
        Arrays.fill(line, (byte) 'x');
        line[LINE_BYTES - 1] = '\n';
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (long i = 0; i < lines; i++) {
                byte[] n = Long.toString(i).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(n, 0, line, 0, n.length);
                line[n.length] = ' ';
                out.write(line);
            }
        }
    }

    @Override
    public Comparison run(BenchContext context) throws Exception {
        BenchOptions o = context.options();
        long lines = Math.max(1, o.spoolBytes() / LINE_BYTES);
        Path dir = context.workDirectory().resolve("spooldir");
        Files.createDirectories(dir);
        Path source = dir.resolve("lines.txt");
        context.log(String.format(Locale.ROOT, "spooldir: writing %d lines of %d bytes (%d MiB) to %s", lines,
                LINE_BYTES, lines * LINE_BYTES >> 20, source));
        writeFile(source, lines);
        List<Double> flume = new ArrayList<>();
        List<Double> sluice = new ArrayList<>();
        for (int i = 1; i <= o.runs(); i++) {
            flume.add(measure(context, AgentSide.FLUME, i, source, lines));
            sluice.add(measure(context, AgentSide.SLUICE, i, source, lines));
        }
        Files.deleteIfExists(source);
        return new Comparison("spooldir", AgentSide.FLUME.label(), sluice, flume);
    }

    private double measure(BenchContext context, AgentSide side, int run, Path source, long lines)
            throws Exception {
        Path runDir = context.workDirectory().resolve("spooldir").resolve(side.label() + "-" + run);
        Path spool = Files.createDirectories(runDir.resolve("spool"));
        Files.createLink(spool.resolve("lines.txt"), source);
        try (AgentRun agent = AgentRun.start(context, side, runDir, config(spool))) {
            long startDeadline = System.currentTimeMillis() + AgentRun.START_TIMEOUT_MILLIS;
            long first;
            long firstNanos;
            while (true) {
                agent.checkAlive("before delivering an event");
                long v = agent.delivered();
                if (v > 0) {
                    first = v;
                    firstNanos = System.nanoTime();
                    break;
                }
                if (System.currentTimeMillis() > startDeadline) {
                    throw agent.timedOut("no event delivered within " + AgentRun.START_TIMEOUT_MILLIS / 1000 + " s");
                }
                Thread.sleep(POLL_MILLIS);
            }
            long deadline = System.currentTimeMillis() + Math.max(60_000, lines * 1000 / MIN_EVENTS_PER_SECOND);
            long last = first;
            long lastNanos = firstNanos;
            while (last < lines) {
                agent.checkAlive("while reading the spool file");
                if (System.currentTimeMillis() > deadline) {
                    throw agent.timedOut("delivered " + last + " of " + lines + " lines before the deadline");
                }
                Thread.sleep(POLL_MILLIS);
                long v = agent.delivered();
                if (v > last) {
                    last = v;
                    lastNanos = System.nanoTime();
                }
            }
            double seconds = (lastNanos - firstNanos) / 1e9;
            double eps = (last - first) / seconds;
            context.log(String.format(Locale.ROOT, "spooldir run %d/%d %-6s eps=%.0f (%d lines in %.2f s after the"
                    + " first %d)", run, context.options().runs(), side.label(), eps, last - first, seconds, first));
            return eps;
        } finally {
            deleteTree(runDir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                if (!p.getFileName().toString().equals("agent.log") && !p.getFileName().toString().equals("flume.conf")
                        && !Files.isDirectory(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
