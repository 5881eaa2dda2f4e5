package io.sluice.channel.file;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
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
 * A child process for {@link KillNineTest}: opens a file channel and works on it until it is
 * killed, appending a line (prefixed {@code @@}) to a protocol file (the last argument) after every
 * commit, so the parent knows exactly what was acknowledged.
 *
 * <ul>
 *   <li>{@code load <dir> <run> <protocolFile>}: two putters and one taker, random batch sizes, random rollbacks.
 *       {@code @@P a b} = events a..b-1 committed; {@code @@t a,b,..} = about to commit a take of
 *       those; {@code @@T} = that take committed; {@code @@U a b} = events a..b-1 put and rolled back.</li>
 *   <li>{@code hold <dir> <run> <protocolFile>}: commits 0..99, then holds a take of 10 and a put of 100..109 open
 *       forever ({@code @@HOLDING}).</li>
 * </ul>
 */
public final class CrashWorker {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        protocol = new FileOutputStream(args[args.length - 1], true);
        FileChannel ch = new FileChannel("c1", "[crash.channels.c1]", config(root), new ChannelCounter("c1"),
                Clock.systemUTC());
        ch.start();
        if (args[0].equals("hold")) {
            hold(ch);
            return;
        }
        int run = Integer.parseInt(args[2]);
        for (int t = 0; t < 2; t++) {
            long base = (run * 2L + t) * 10_000_000L;
            Thread putter = new Thread(() -> put(ch, base, new Random(base)), "putter-" + t);
            putter.setDaemon(true);
            putter.start();
        }
        Thread taker = new Thread(() -> take(ch, new Random(run)), "taker");
        taker.setDaemon(true);
        taker.start();
        say("STARTED");
        Thread.sleep(Long.MAX_VALUE);
    }

    static FileChannelConfig config(Path root) {
        return new FileChannelConfig(root.resolve("checkpoint"), List.of(root.resolve("data1"), root.resolve("data2")),
                root.resolve("backup"), 200_000, 1000, 1, 256 * 1024, 0, 300, true, 4 * 1024 * 1024);
    }

    private static void hold(FileChannel ch) throws InterruptedException {
        TestChannels.putRange(ch, 0, 100);
        Transaction take = ch.getTransaction();
        take.begin();
        for (int i = 0; i < 10; i++) {
            take.take();
        }
        Transaction put = ch.getTransaction();
        put.begin();
        for (int i = 100; i < 110; i++) {
            put.put(TestChannels.event(i));
        }
        say("HOLDING");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void put(FileChannel ch, long base, Random rnd) {
        long next = base;
        while (true) {
            int n = 1 + rnd.nextInt(200);
            boolean rollback = rnd.nextInt(10) == 0;
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                List<Event> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long k = rollback ? base + 5_000_000 + next - base : next + i;
                    batch.add(Event.builder().header("n", Long.toString(k)).body("e" + k).build());
                }
                tx.putAll(batch);
                if (rollback) {
                    tx.rollback();
                    say("U " + (base + 5_000_000 + next - base) + " " + (base + 5_000_000 + next - base + n));
                    continue;
                }
                tx.commit();
                say("P " + next + " " + (next + n));
                next += n;
            } catch (RuntimeException e) {
                say("E " + e.getMessage());
            }
        }
    }

    private static void take(FileChannel ch, Random rnd) {
        while (true) {
            List<Event> out = new ArrayList<>();
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.takeBatch(1 + rnd.nextInt(300), out);
                if (rnd.nextInt(8) == 0) {
                    tx.rollback();
                    continue;
                }
                StringBuilder sb = new StringBuilder("t ");
                for (Event e : out) {
                    sb.append(e.header("n")).append(',');
                }
                say(sb.toString());
                tx.commit();
                say("T");
            } catch (RuntimeException e) {
                say("E " + e.getMessage());
            }
        }
    }

    private static FileOutputStream protocol;

    /**
     * Appends one protocol line with a single unbuffered write, so a line is either wholly in the
     * file or not at all when the process is killed. (Standard output is not used for the protocol:
     * lines written there just before a SIGKILL were seen to go missing.)
     */
    private static synchronized void say(String line) {
        try {
            protocol.write(("@@" + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
