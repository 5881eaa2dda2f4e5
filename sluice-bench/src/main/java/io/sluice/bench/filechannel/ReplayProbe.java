package io.sluice.bench.filechannel;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Recovery time of a file channel holding {@code n} small events (about 10 bytes of body each):
 * writes them, stops without a checkpoint and times the start (a full replay of the log), then
 * stops with a checkpoint and times the start again (checkpoint load, nothing to replay).
 */
public final class ReplayProbe {
    private ReplayProbe() {
    }

    record Result(int events, long logBytes, long fullReplayMillis, long checkpointMillis, long writeMillis) {
        String line() {
            return String.format(Locale.ROOT, "file-channel replay events=%d log_bytes=%d full_replay_ms=%d"
                    + " from_checkpoint_ms=%d (writing them took %d ms)", events, logBytes, fullReplayMillis,
                    checkpointMillis, writeMillis);
        }
    }

    /** {@code java -cp ... io.sluice.bench.filechannel.ReplayProbe [events] [dir]}: prints one line. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("sluice-replay-probe");
        System.out.println(measure(dir, n).line());
    }

    static Result measure(Path dir, int n) throws IOException {
        FileChannelConfig noCheckpoint = new FileChannelConfig(dir.resolve("checkpoint"), List.of(dir.resolve("data")),
                null, Math.max(n, 1000), 10_000, 3, 2146435071L, 0, 3_600_000, false, 0);
        long t0 = System.nanoTime();
        FileChannel ch = open(noCheckpoint);
        List<Event> batch = new ArrayList<>(10_000);
        for (int i = 0; i < n; i += 10_000) {
            batch.clear();
            for (int k = i; k < Math.min(n, i + 10_000); k++) {
                batch.add(Event.wrap(null, ("e" + k).getBytes(StandardCharsets.UTF_8)));
            }
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.putAll(batch);
                tx.commit();
            }
        }
        ch.stop();
        long write = (System.nanoTime() - t0) / 1_000_000;
        long logBytes;
        try (Stream<Path> s = Files.list(dir.resolve("data"))) {
            logBytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        long t1 = System.nanoTime();
        ch = open(noCheckpoint);
        long full = (System.nanoTime() - t1) / 1_000_000;
        check(ch, n);
        ch.stop();
        FileChannelConfig withCheckpoint = new FileChannelConfig(noCheckpoint.checkpointDir(), noCheckpoint.dataDirs(),
                null, Math.max(n, 1000), 10_000, 3, 2146435071L, 0, 3_600_000, true, 0);
        ch = open(withCheckpoint);
        ch.stop();
        long t2 = System.nanoTime();
        ch = open(withCheckpoint);
        long fromCheckpoint = (System.nanoTime() - t2) / 1_000_000;
        check(ch, n);
        ch.stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return new Result(n, logBytes, full, fromCheckpoint, write);
    }

    private static FileChannel open(FileChannelConfig cfg) {
        FileChannel ch = new FileChannel("replay", "[bench.channels.replay]", cfg, new ChannelCounter("replay"),
                Clock.systemUTC());
        ch.start();
        return ch;
    }

    private static void check(FileChannel ch, int n) {
        if (ch.size() != n) {
            throw new IllegalStateException("recovered " + ch.size() + " events, expected " + n);
        }
    }
}
