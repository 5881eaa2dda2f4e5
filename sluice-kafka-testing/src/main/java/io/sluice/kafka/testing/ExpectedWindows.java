package io.sluice.kafka.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The windowed {@code COUNT(*)} and {@code SUM(n)} per key that a test expects from a flow, counted
 * by the test itself from the records it writes, independently of the engine: each record is added
 * to every window of {@code size} ms every {@code advance} ms that holds its event time (tumbling
 * when both are equal). Rows are written as {@link #row}. Thread-safe: every method is synchronized.
 */
public final class ExpectedWindows {
    private final long size;
    private final long advance;
    private final Map<String, long[]> windows = new TreeMap<>();

    public ExpectedWindows(long sizeMs, long advanceMs) {
        if (sizeMs <= 0 || advanceMs <= 0 || advanceMs > sizeMs) {
            throw new IllegalArgumentException("size " + sizeMs + " ms, advance " + advanceMs
                    + " ms (expected: 0 < advance <= size)");
        }
        this.size = sizeMs;
        this.advance = advanceMs;
    }

    /** One expected or emitted row: {@code key@windowStart -> count,sum}. */
    public static String row(Object key, Object windowStart, Object count, Object sum) {
        return key + "@" + windowStart + " -> " + count + "," + sum;
    }

    /** Counts a record of {@code key} at {@code eventTime} (epoch ms) carrying {@code n}. */
    public synchronized void add(String key, long eventTime, long n) {
        for (long start = eventTime - Math.floorMod(eventTime, advance); start > eventTime - size; start -= advance) {
            long[] cs = windows.computeIfAbsent(key + "@" + start, k -> new long[2]);
            cs[0]++;
            cs[1] += n;
        }
    }

    /** Every window counted so far, as {@link #row} writes it, ordered by key and start. */
    public synchronized List<String> rows() {
        List<String> rows = new ArrayList<>(windows.size());
        windows.forEach((k, v) -> rows.add(k + " -> " + v[0] + "," + v[1]));
        return rows;
    }
}
