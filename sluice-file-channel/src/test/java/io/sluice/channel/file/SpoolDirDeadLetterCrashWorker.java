package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.source.spooldir.SpoolDirectorySourceFactory;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process for {@link SpoolDirDeadLetterKillTest}: a {@code spooldir} source reading
 * {@code <root>/spool} in batches of 100 lines, {@code deserializer.maxLineLength = 100}, into a
 * file channel in {@code <root>}, with a second file channel in {@code <root>/dlq} as its
 * {@code deadLetter.channel}, wired as an agent wires them.
 *
 * <ul>
 *   <li>{@code crash <root> <protocolFile>}: right after the dead-letter channel committed letters
 *       for the second time, says {@code @@LETTERS_IN} and stops there (the source's batch is not
 *       committed to its own channel yet) for the parent's {@code kill -9}. The dead-letter channel
 *       is seen through {@link FileRollCrashWorker.PausingChannel}, which only adds that pause.</li>
 *   <li>{@code drain <root> <protocolFile>}: reads until every file is done, stops the source,
 *       writes the bodies of the channel to {@code <root>/delivered.txt} and those of the
 *       dead-letter channel to {@code <root>/letters.txt}, one a line, and says {@code @@DONE}.</li>
 * </ul>
 */
public final class SpoolDirDeadLetterCrashWorker {
    private static FileOutputStream protocol;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path root = Path.of(args[1]);
        protocol = new FileOutputStream(args[2], true);
        FileChannel ch = TestChannels.open(TestChannels.config(root));
        FileChannel letters = FileRollCrashWorker.deadLetterChannel(root);
        SingleComponentConfig cfg = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", Map.of("type", "spooldir",
                "spoolDir", root.resolve("spool").toString(), "batchSize", "100", "pollDelay", "50",
                "deserializer.maxLineLength", "100"));
        Source source = new SpoolDirectorySourceFactory().create(cfg.context());
        if (!cfg.problems().isEmpty()) {
            throw new IllegalStateException(cfg.problems().toString());
        }
        Channel dlq = mode.equals("crash") ? new FileRollCrashWorker.PausingChannel(letters, 2, true, true, () -> {
            say("LETTERS_IN");
            while (true) {
                LockSupport.park();
            }
        }) : letters;
        ((DeadLetterAware) source).setDeadLetters(new DeadLetters(dlq, "a1.sources.r1", Clock.systemUTC()));
        TestChannels.connect(source, ch);
        source.start();
        say("STARTED");
        if (mode.equals("crash")) {
            while (true) {
                LockSupport.park();
            }
        }
        while (!SpoolDirCrashWorker.allDone(root.resolve("spool"))) {
            LockSupport.parkNanos(20_000_000L);
        }
        source.stop();
        write(ch, root.resolve("delivered.txt"));
        write(letters, root.resolve("letters.txt"));
        ch.stop();
        letters.stop();
        say("DONE");
    }

    private static void write(FileChannel ch, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
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
