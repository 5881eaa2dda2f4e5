package io.sluice.metrics.store;

import java.util.List;

/**
 * Where the rings of a store's series live: every series gets one fixed run of bytes (its rings
 * one after the other, {@link CompactRing}'s layout at {@link #start(int)}) cut from a large array
 * shared with other series. Slabs grow by doubling up to 256 KiB, then are {@link #MAX_SLAB} bytes,
 * so a small store stays small while a large one keeps its rings in arrays of 16 MiB (the last one no larger than the
 * store's {@code maxSeries} can fill). The JVM's collector places an
 * array that large straight in the old generation and never copies it, so storing a burst of new
 * series does not copy their rings from young generation to survivor to old (with one array per
 * ring, a burst of 1.5 M new series made young collections copy 5 GB and pause for seconds).
 * Series are never removed, so a run is never given back.
 *
 * <p>{@link #take()} is called under the store's creation lock; the layout is immutable.
 */
final class Slabs {
    /** Large enough to be allocated outside the young generation by G1 at every region size (at most 32 MiB). */
    static final int MAX_SLAB = 16 << 20;
    private static final int FIRST_SERIES = 16;
    /** Below half of G1's smallest region (1 MiB): such an array is an ordinary object. */
    private static final int SMALL_SLAB = 256 << 10;

    private final int[] starts;
    private final int[] buckets;
    private final int unit;
    private final long maxSeries;
    private byte[] slab = new byte[0];
    private int used;
    private int series;

    /** The layout of {@code specs}; no slab is cut larger than {@code maxSeries} series need in all. */
    Slabs(List<RingSpec> specs, long maxSeries) {
        this.maxSeries = maxSeries;
        starts = new int[specs.size()];
        buckets = new int[specs.size()];
        int at = 0;
        for (int i = 0; i < starts.length; i++) {
            starts[i] = at;
            buckets[i] = specs.get(i).buckets();
            at += CompactRing.size(buckets[i]);
        }
        unit = at;
    }

    /** Bytes of one series' rings. */
    int unit() {
        return unit;
    }

    /** Where ring {@code ring} starts within a series' run. */
    int start(int ring) {
        return starts[ring];
    }

    /** The buckets of ring {@code ring}. */
    int buckets(int ring) {
        return buckets[ring];
    }

    int rings() {
        return starts.length;
    }

    /**
     * Cuts the next run, its rings made empty, and returns its offset in {@link #slab()} (which
     * may be a new array: read it after this call).
     */
    synchronized int take() {
        if (slab.length - used < unit) {
            // doubling while small (ordinary young objects), then straight to MAX_SLAB: sizes in
            // between would be humongous without filling their regions
            long grown = Math.max((long) unit * FIRST_SERIES, (long) series * unit);
            long want = grown <= SMALL_SLAB ? grown : MAX_SLAB;
            want = Math.min(want, (maxSeries - series) * unit); // the series the store may still create
            int size = (int) Math.max(unit, want / unit * unit);
            slab = new byte[size];
            used = 0;
        }
        int at = used;
        used += unit;
        series++;
        for (int i = 0; i < starts.length; i++) {
            CompactRing.init(slab, at + starts[i]);
        }
        return at;
    }

    /** The array of the run {@link #take()} returned last. */
    synchronized byte[] slab() {
        return slab;
    }
}
