package io.sluice.bench.files;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.SideBySideAgents;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code taildir}: a {@code TAILDIR} source (batchSize 1000) follows ten files of 100-byte lines
 * into a {@code memory} channel drained by a {@code null} sink (batchSize 1000); the same
 * configuration on both products. The files are written once per benchmark (ten files of
 * {@link #LINES_PER_FILE} lines, 1.5 GB, enough for the warm-up and the window at several million
 * lines per second) and every run reads them from their start with a position file of its own.
 * Measured at the channel's {@code EventTakeSuccessCount}, as {@code memory-pipeline} is.
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

    /** Writes the files and runs both products over them, alternating, as the options say. */
    public Comparison compare(BenchContext context) throws Exception {
        Path logs = context.workDirectory().resolve(name()).resolve("logs");
        writeFiles(logs);
        return new SideBySideAgents(name(), "a1", (side, runDir) -> config(logs, runDir.resolve("positions.json")),
                "CHANNEL.c1", "EventTakeSuccessCount").run(context);
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
