package io.sluice.bench.files;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.testing.FreePorts;
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
import java.util.concurrent.TimeUnit;

/**
 * {@code taildir}: a {@code TAILDIR} source (batchSize 1000) follows ten files of 100-byte lines
 * into a {@code memory} channel drained by a {@code null} sink (batchSize 1000); the same
 * configuration on both products. The files are written once per benchmark (ten files of
 * {@link #LINES_PER_FILE} lines, 1.5 GB) and every run reads them from their start with a position file of its own.
 * Measured at the channel's {@code EventTakeSuccessCount}, as {@code memory-pipeline} is, over the
 * time the product takes to read all the lines (see {@link #compare}).
 *
 * <p>{@link #compare(BenchContext)} returns the comparison alone, for scenarios that gather several
 * file sources.
 */
public final class TaildirScenario implements Scenario {
    /** Files the group matches. */
    public static final int FILES = 10;
    /** Lines per file; each line is 99 characters and a newline. */
    public static final int LINES_PER_FILE = 1_500_000;
    static final int LINE_BYTES = 100;
    private static final String COUNTER_GROUP = "CHANNEL.c1";
    private static final String COUNTER = "EventTakeSuccessCount";

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

    /**
     * Writes the files and has each product read all of them, alternating products, as often as
     * the options say. A run's figure is the lines it read divided by the time from the first
     * reading of its counter above zero to the reading that counted every line; the warm-up and
     * window options do not apply (a fast reader finishes the files within a warm-up).
     */
    public Comparison compare(BenchContext context) throws Exception {
        Path logs = context.workDirectory().resolve(name()).resolve("logs");
        writeFiles(logs);
        List<Double> flume = new ArrayList<>();
        List<Double> sluice = new ArrayList<>();
        for (int i = 1; i <= context.options().runs(); i++) {
            flume.add(measure(context, logs, AgentSide.FLUME, i));
            sluice.add(measure(context, logs, AgentSide.SLUICE, i));
        }
        return new Comparison(name(), AgentSide.FLUME.label(), sluice, flume);
    }

    private double measure(BenchContext context, Path logs, AgentSide side, int run) throws Exception {
        Path runDir = Files.createDirectories(context.workDirectory().resolve(name()).resolve(side.label() + "-" + run));
        Path conf = runDir.resolve("flume.conf");
        Files.writeString(conf, config(logs, runDir.resolve("positions.json")));
        long total = (long) FILES * LINES_PER_FILE;
        int port = FreePorts.tcp();
        try (ChildJvm agent = side.start(context.home(), context.options().jvmOptions(), "a1", conf, port, runDir)) {
            MetricsClient metrics = new MetricsClient(port);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            MetricsClient.Reading first = null;
            MetricsClient.Reading last = null;
            while (last == null || last.value() < total) {
                if (!agent.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(side.label() + " did not read all " + total + " lines (last "
                            + last + "); log " + agent.logFile() + ":\n" + agent.logTail(30));
                }
                try {
                    last = metrics.read(COUNTER_GROUP, COUNTER);
                    if (first == null && last.value() > 0) {
                        first = last;
                    }
                } catch (IOException e) {
                    // metrics not served yet
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            double seconds = (last.nanoTime() - first.nanoTime()) / 1e9;
            double eps = (last.value() - first.value()) / seconds;
            context.log(String.format(Locale.ROOT, "%s run %d/%d %-6s eps=%.0f (%d events in %.2f s, %s.%s)", name(),
                    run, context.options().runs(), side.label(), eps, last.value() - first.value(), seconds,
                    COUNTER_GROUP, COUNTER));
            return eps;
        }
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

    /** Ten files of numbered 100-byte lines, unless a previous call wrote them already. */
    static void writeFiles(Path logs) throws IOException {
        Files.createDirectories(logs);
        byte[] line = new byte[LINE_BYTES];
        Arrays.fill(line, (byte) 'x');
        line[LINE_BYTES - 1] = '\n';
        for (int f = 0; f < FILES; f++) {
            Path file = logs.resolve("app-" + f + ".log");
            if (Files.exists(file) && Files.size(file) == (long) LINES_PER_FILE * LINE_BYTES) {
                continue;
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                for (int i = 0; i < LINES_PER_FILE; i++) {
                    byte[] head = String.format("%02d %010d ", f, i).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(head, 0, line, 0, head.length);
                    out.write(line);
                }
            }
        }
    }
}
