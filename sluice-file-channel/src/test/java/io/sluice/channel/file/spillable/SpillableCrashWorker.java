package io.sluice.channel.file.spillable;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelConfig;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child process for {@link SpillableKillNineTest}: opens a spillable memory channel without a
 * sink, so memory fills and then every put commit overflows, and puts numbered batches until it is
 * killed. After each commit it appends {@code @@P a b m} (events a..b-1 went to memory) or
 * {@code @@P a b o} (to the overflow) to the protocol file (the last argument) with one write.
 * Arguments: {@code <dir> <first event number> <protocolFile>}.
 */
public final class SpillableCrashWorker {
    static final int MEMORY_CAPACITY = 500;

    private static FileOutputStream protocol;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long next = Long.parseLong(args[1]);
        protocol = new FileOutputStream(args[2], true);
        SpillableMemoryChannel ch = open(root);
        say("STARTED");
        Random rnd = new Random(next);
        while (true) {
            int n = 1 + rnd.nextInt(100);
            List<Event> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(Event.builder().header("n", Long.toString(next + i)).body("e" + (next + i)).build());
            }
            long overflowBefore = ch.overflowSize();
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.putAll(batch);
                tx.commit();
            }
            // one putter and no taker: the overflow grew exactly when this commit went there
            say("P " + next + " " + (next + n) + (ch.overflowSize() > overflowBefore ? " o" : " m"));
            next += n;
        }
    }

    static SpillableMemoryChannel open(Path root) {
        FileChannelConfig fc = new FileChannelConfig(root.resolve("checkpoint"), List.of(root.resolve("data")), null,
                1_000_000, 1000, 0, 256 * 1024, 0, 300, true, 4 * 1024 * 1024);
        SpillableMemoryConfig config = new SpillableMemoryConfig(MEMORY_CAPACITY, 1_000_000, 0, 5, Long.MAX_VALUE, 500,
                1000, fc);
        SpillableMemoryChannel ch = new SpillableMemoryChannel("c1", "[crash.channels.c1]", config,
                new ChannelCounter("c1"), new FileChannel("c1-overflow", "[crash.channels.c1] overflow", fc,
                        new ChannelCounter("c1-overflow"), Clock.systemUTC()), Clock.systemUTC());
        ch.start();
        return ch;
    }

    private static synchronized void say(String line) {
        try {
            protocol.write(("@@" + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
