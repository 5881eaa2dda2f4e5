package io.sluice.channel.file;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.source.spooldir.SpoolDirectorySourceFactory;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A child process for {@link SpoolDirMarkerKillTest}: a {@code spooldir} source reading
 * {@code <root>/spool} in batches of 100 into a file channel in {@code <root>}, wired as an agent
 * wires them ({@link TestChannels#connect}).
 *
 * <ul>
 *   <li>{@code run <root> <protocolFile>}: starts the source, says {@code @@STARTED} and reads until
 *       the parent's {@code kill -9}.</li>
 *   <li>{@code drain <root> <protocolFile>}: reads until every file is done, stops the source, then
 *       takes everything out of the channel, writes the bodies one a line to
 *       {@code <root>/delivered.txt} and says {@code @@DONE}.</li>
 * </ul>
 */
public final class SpoolDirCrashWorker {
    private static FileOutputStream protocol;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path root = Path.of(args[1]);
        protocol = new FileOutputStream(args[2], true);
        FileChannel ch = TestChannels.open(TestChannels.config(root));
        SingleComponentConfig cfg = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", Map.of("type", "spooldir",
                "spoolDir", root.resolve("spool").toString(), "batchSize", "100", "pollDelay", "50"));
        Source source = new SpoolDirectorySourceFactory().create(cfg.context());
        if (!cfg.problems().isEmpty()) {
            throw new IllegalStateException(cfg.problems().toString());
        }
        TestChannels.connect(source, ch);
        source.start();
        say("STARTED");
        if (mode.equals("run")) {
            while (true) {
                LockSupport.park();
            }
        }
        while (!allDone(root.resolve("spool"))) {
            LockSupport.parkNanos(20_000_000L);
        }
        source.stop();
        try (BufferedWriter out = Files.newBufferedWriter(root.resolve("delivered.txt"), StandardCharsets.UTF_8)) {
            while (true) {
                List<Event> events = TestChannels.takeEvents(ch, 1000);
                if (events.isEmpty()) {
                    break;
                }
                for (Event e : events) {
                    out.write(e.bodyAsString());
                    out.write('\n');
                }
            }
        }
        ch.stop();
        say("DONE");
    }

    /** Whether every file of the spool directory was renamed with the done suffix. */
    static boolean allDone(Path spool) throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(Files::isRegularFile).allMatch(p -> p.getFileName().toString().endsWith(".COMPLETED"));
        }
    }

    private static void say(String line) {
        try {
            protocol.write(("@@" + line + "\n").getBytes(StandardCharsets.UTF_8));
            protocol.getFD().sync();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
