package io.sluice.bench.filechannel;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Sluice file channel's commit latency on the scenario's workload, in-process: one thread puts
 * batches of 1000 small events (as the seq source does), one takes batches of 1000 (as the null sink
 * does); every {@code commit()} is timed. Default channel settings (fsync before every commit
 * returns).
 */
final class ChannelCommitProbe {
    private ChannelCommitProbe() {
    }

    record Result(Latencies puts, Latencies takes, double eps) {
        String line() {
            return String.format(Locale.ROOT, "file-channel channel_commit put_commit %s take_commit %s"
                    + " (in-process, %.0f events/s moved)", puts.summary(), takes.summary(), eps);
        }
    }

    static Result measure(Path dir, int seconds) throws Exception {
        FileChannelConfig cfg = FileChannelConfig.of(dir.resolve("checkpoint"), List.of(dir.resolve("data")));
        FileChannel ch = new FileChannel("probe", "[bench.channels.probe]", cfg, new ChannelCounter("probe"),
                Clock.systemUTC());
        ch.start();
        AtomicBoolean stop = new AtomicBoolean();
        Latencies puts = new Latencies();
        Latencies takes = new Latencies();
        long[] taken = new long[1];
        Thread putter = new Thread(() -> {
            long seq = 0;
            List<Event> batch = new ArrayList<>(1000);
            while (!stop.get()) {
                batch.clear();
                for (int i = 0; i < 1000; i++) {
                    batch.add(Event.wrap(null, Long.toString(seq++).getBytes(StandardCharsets.UTF_8)));
                }
                try (Transaction tx = ch.getTransaction()) {
                    tx.begin();
                    tx.putAll(batch);
                    long t = System.nanoTime();
                    tx.commit();
                    puts.add(System.nanoTime() - t);
                }
            }
        }, "probe-putter");
        Thread taker = new Thread(() -> {
            List<Event> out = new ArrayList<>(1000);
            while (!stop.get()) {
                out.clear();
                try (Transaction tx = ch.getTransaction()) {
                    tx.begin();
                    tx.takeBatch(1000, out);
                    long t = System.nanoTime();
                    tx.commit();
                    if (!out.isEmpty()) {
                        takes.add(System.nanoTime() - t);
                    }
                }
                taken[0] += out.size();
            }
        }, "probe-taker");
        long t0 = System.nanoTime();
        putter.start();
        taker.start();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        putter.join();
        taker.join();
        double eps = taken[0] / ((System.nanoTime() - t0) / 1e9);
        ch.stop();
        return new Result(puts, takes, eps);
    }
}
