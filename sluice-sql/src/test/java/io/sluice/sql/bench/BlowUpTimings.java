package io.sluice.sql.bench;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.RtsqlEngine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times the inputs that used to blow up (a stray CSV quote, many session keys) on real files, so
 * their cost can be measured after a change. Not a test: run it by hand, e.g.
 * {@code java -cp <test classpath> io.sluice.sql.bench.BlowUpTimings /tmp/dir csv-bare 20000 40000}.
 * Modes: {@code csv-bare} (a bare quote inside an unquoted field on line 2), {@code csv-open} (a
 * quoted field never closed on line 2), {@code session} (each size is the number of keys; five rows
 * per key, one per millisecond, keys round robin, a one-second session gap).
 */
public final class BlowUpTimings {
    private BlowUpTimings() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        String mode = args[1];
        for (int i = 2; i < args.length; i++) {
            long n = Long.parseLong(args[i]);
            Path file = dir.resolve(mode + "-" + n + ".csv");
            if (!Files.exists(file)) {
                write(file, mode, n);
            }
            String query = mode.equals("session")
                    ? "SELECT k, COUNT(*) AS c FROM s GROUP BY k OVER SESSION INTERVAL 1 SECONDS"
                    : "SELECT COUNT(*) AS c FROM s OVER TUMBLING INTERVAL 100000 SECONDS";
            try (RtsqlEngine e = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build())) {
                e.execute("CREATE STREAM s (ts TIMESTAMP, k STRING, v INT) FROM FILE '" + file.getFileName()
                        + "' EVENT FORMAT 'csv' PROPERTIES ('timestamp.col' = 'ts')");
                AtomicLong rows = new AtomicLong();
                AtomicLong last = new AtomicLong();
                long t0 = System.nanoTime();
                Flow f = e.execute(query, r -> {
                    rows.incrementAndGet();
                    last.set(((Number) r.value(r.size() - 1)).longValue());
                }).flow().orElseThrow();
                if (!f.awaitEnd(Duration.ofMinutes(10))) {
                    System.out.printf("%s %d: did not end in 10 minutes%n", mode, n);
                    e.dropFlow(f.id());
                    continue;
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s %d: %.2f s, %d rows out (last value %d), %s%n", mode, n, s, rows.get(),
                        last.get(), f.counters());
            }
        }
    }

    private static void write(Path file, String mode, long n) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (mode.equals("session")) {
                long keys = n;
                for (long i = 0; i < 5 * keys; i++) {
                    w.write(i + ",k" + (i % keys) + ",1\n");
                }
                return;
            }
            for (long i = 0; i < n; i++) {
                if (i == 1) {
                    w.write(mode.equals("csv-bare") ? i + ",he said \"hi,1\n" : i + ",\"never closed,1\n");
                } else {
                    w.write(i + ",line" + i + "," + (i % 100) + "\n");
                }
            }
        }
    }
}
