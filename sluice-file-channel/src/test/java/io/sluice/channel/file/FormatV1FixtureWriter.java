package io.sluice.channel.file;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.channel.file.log.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the format-version-1 fixture kept in {@code src/test/resources/format-v1} (run by hand:
 * {@code java -cp ... io.sluice.channel.file.FormatV1FixtureWriter <dir>}). Events 0..19 are put,
 * 0..4 taken, a checkpoint written, then 20..24 put without a checkpoint, so reading it exercises
 * both the checkpoint and the log replay. {@link FormatV1FixtureTest} reads it.
 */
public final class FormatV1FixtureWriter {
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        FileChannel ch = TestChannels.open(fixtureConfig(root));
        put(ch, 0, 20);
        TestChannels.take(ch, 5);
        ch.checkpoint();
        put(ch, 20, 25);
        ch.stop();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals(LogFormat.LOCK_FILE)).toList()) {
                Files.delete(p);
            }
        }
    }

    static FileChannelConfig fixtureConfig(Path root) {
        return new FileChannelConfig(root.resolve("checkpoint"), List.of(root.resolve("data")), null, 1000, 100, 3,
                1 << 20, 0, 3_600_000, false, 0);
    }

    static Event fixtureEvent(int i) {
        return Event.builder().header("n", Integer.toString(i)).header("host", "fixture-host")
                .body("format v1 event " + i + " \u00e9").build();
    }

    private static void put(FileChannel ch, int from, int to) {
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (int i = from; i < to; i++) {
                tx.put(fixtureEvent(i));
            }
            tx.commit();
        }
    }
}
