package io.sluice.sql.crosscheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random events {@code (id, ts, k, v, x)} with bounded disorder, and their delimited file form. */
final class Events {
    /** One event; {@code k} and {@code v} may be null. */
    record Event(int id, long ts, String k, Integer v, double x) {
        String line() {
            return id + "," + ts + "," + (k == null ? "\\N" : k) + "," + (v == null ? "\\N" : v) + "," + x;
        }
    }

    static final String COLUMNS = "(id INT, ts TIMESTAMP, k STRING, v INT, x DOUBLE)";

    private Events() {
    }

    /**
     * {@code n} events starting at {@code start}, {@code keys} keys, gaps of 0..{@code maxGap} ms, about
     * one in twenty values NULL, then neighbours swapped when less than {@code maxDisorder} ms apart.
     */
    static List<Event> generate(long seed, int n, int keys, long start, int maxGap, int maxDisorder) {
        Random rnd = new Random(seed);
        List<Event> out = new ArrayList<>(n);
        long ts = start;
        for (int i = 0; i < n; i++) {
            ts += rnd.nextInt(maxGap + 1);
            String k = rnd.nextInt(50) == 0 ? null : "k" + rnd.nextInt(keys);
            Integer v = rnd.nextInt(20) == 0 ? null : rnd.nextInt(201) - 100;
            double x = Math.round(rnd.nextDouble() * 1000) / 8.0;
            out.add(new Event(i, ts, k, v, x));
        }
        for (int i = 0; i + 1 < out.size(); i++) {
            if (rnd.nextInt(3) == 0 && out.get(i + 1).ts() - out.get(i).ts() < maxDisorder) {
                Event a = out.get(i);
                out.set(i, out.get(i + 1));
                out.set(i + 1, a);
                i++;
            }
        }
        return out;
    }

    static void write(Path file, List<Event> events) throws IOException {
        List<String> lines = new ArrayList<>(events.size());
        for (Event e : events) {
            lines.add(e.line());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
