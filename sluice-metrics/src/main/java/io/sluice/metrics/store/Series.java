package io.sluice.metrics.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The history of one series: one {@link CompactRing} per configured resolution, plus the open
 * bucket of the finest ring in full precision. A sample goes into the open bucket; when a sample
 * of a later bucket arrives (or a reader rolls the series forward), the open bucket is quantised
 * into the finest ring and folded into the bucket of every coarser ring that contains it.
 *
 * <p>Thread-safe: every method is synchronized on the series (the sink writes, queries read).
 */
final class Series {
    private final SeriesKey key;
    /** the slab holding this series' rings, from {@code at}, laid out by {@code layout}. */
    private final byte[] slab;
    private final int at;
    private final Slabs layout;
    private ValueType type;
    /** the newest finest-ring bucket number seen; open while {@code openCount > 0}. */
    private long openNo = Long.MIN_VALUE;
    private int openCount;
    private double openSum;
    private double openMin;
    private double openMax;
    private double openFirst;
    private double openLast;
    private String lastString;

    /** A series whose rings are the next run of {@code slabs}; callers serialise creation. */
    Series(SeriesKey key, ValueType type, Slabs slabs) {
        this.key = key;
        this.type = type;
        this.layout = slabs;
        this.at = slabs.take();
        this.slab = slabs.slab();
    }

    SeriesKey key() {
        return key;
    }

    synchronized ValueType type() {
        return type;
    }

    synchronized String lastString() {
        return lastString;
    }

    /**
     * Adds one sample. Returns false (and stores nothing) when its type cannot join the series'
     * (a string into a numeric series or the reverse) or when it is older than every ring holds.
     * An integer series that receives a double becomes a double series.
     */
    synchronized boolean add(List<RingSpec> specs, long time, ValueType t, double value, String text) {
        if (t.numeric() != type.numeric()) {
            return false;
        }
        if (t == ValueType.DOUBLE && type == ValueType.INTEGER) {
            type = ValueType.DOUBLE;
        }
        double v = t.numeric() ? value : 0;
        long no = Math.floorDiv(time, specs.get(0).resolutionMillis());
        boolean latest = no >= openNo;
        if (no > openNo) {
            close(specs);
            openNo = no;
            openCount = 1;
            openSum = v;
            openMin = v;
            openMax = v;
            openFirst = v;
            openLast = v;
        } else if (no == openNo && openCount > 0) {
            openCount++;
            openSum += v;
            openMin = Math.min(openMin, v);
            openMax = Math.max(openMax, v);
            openLast = v;
        } else {
            // a late sample, or one of a bucket a reader already closed: straight into the rings
            close(specs);
            if (!foldAll(specs, no, 1, v, v, v, v, v)) {
                return false;
            }
        }
        if (t == ValueType.STRING && latest) {
            lastString = text;
        }
        return true;
    }

    /** Closes the open bucket when {@code now} is past it, so readers see it in every ring. */
    synchronized void roll(List<RingSpec> specs, long now) {
        if (openCount > 0 && Math.floorDiv(now, specs.get(0).resolutionMillis()) > openNo) {
            close(specs);
        }
    }

    private void close(List<RingSpec> specs) {
        if (openCount == 0) {
            return;
        }
        foldAll(specs, openNo, openCount, openSum, openMin, openMax, openFirst, openLast);
        openCount = 0;
    }

    /** Folds an aggregate of finest-ring bucket {@code no} into every ring. */
    private boolean foldAll(List<RingSpec> specs, long no, long count, double sum, double min, double max,
            double first, double last) {
        long start = no * specs.get(0).resolutionMillis();
        boolean any = false;
        for (int i = 0; i < layout.rings(); i++) {
            long b = Math.floorDiv(start, specs.get(i).resolutionMillis());
            any |= CompactRing.merge(slab, at + layout.start(i), layout.buckets(i), b, count, sum, min, max, first,
                    last);
        }
        return any;
    }

    /**
     * The non-empty buckets of ring {@code ring} that start in {@code [from, to]}, oldest first,
     * including the open bucket's contribution.
     */
    synchronized List<Bucket> read(List<RingSpec> specs, int ring, long from, long to) {
        List<Bucket> out = new ArrayList<>();
        visit(specs, ring, from, to, (start, count, sum, min, max, first, last) -> out.add(
                new Bucket(start, count, sum, min, max, first, last)));
        return out;
    }

    /**
     * Hands the non-empty buckets of ring {@code ring} that start in {@code [from, to]} to
     * {@code v}, oldest first, the open bucket's contribution included, under the series' lock and
     * without allocating a bucket object each.
     */
    synchronized void visit(List<RingSpec> specs, int ring, long from, long to, BucketVisitor v) {
        long res = specs.get(ring).resolutionMillis();
        int ra = at + layout.start(ring);
        int n = layout.buckets(ring);
        long head = CompactRing.head(slab, ra);
        long lo = Math.floorDiv(from, res);
        long hi = Math.floorDiv(to, res);
        long openStart = openCount == 0 ? Long.MIN_VALUE
                : Math.floorDiv(openNo * specs.get(0).resolutionMillis(), res) * res;
        boolean openPending = openCount > 0;
        if (head != Long.MIN_VALUE) {
            CompactRing.Decoded d = new CompactRing.Decoded();
            long firstHeld = head - n + 1;
            for (long b = Math.max(lo, firstHeld); b <= Math.min(hi, head); b++) {
                boolean held = CompactRing.decode(slab, ra, n, b, d);
                if (openPending && openStart == b * res) {
                    openPending = false;
                    if (held) {
                        v.bucket(b * res, d.count + openCount, d.sum + openSum, Math.min(d.min, openMin),
                                Math.max(d.max, openMax), d.first, openLast);
                    } else {
                        visitOpen(openStart, v);
                    }
                } else if (held) {
                    v.bucket(b * res, d.count, d.sum, d.min, d.max, d.first, d.last);
                }
            }
        }
        if (openPending && openStart >= lo * res && openStart <= hi * res) {
            visitOpen(openStart, v);
        }
    }

    private void visitOpen(long start, BucketVisitor v) {
        v.bucket(start, openCount, openSum, openMin, openMax, openFirst, openLast);
    }

    /** {@link #roll} then {@link #visit} under one lock. */
    synchronized void rollAndVisit(List<RingSpec> specs, long now, int ring, long from, long to, BucketVisitor v) {
        roll(specs, now);
        visit(specs, ring, from, to, v);
    }

    // ---- snapshot access (SnapshotFile) ----

    /** Everything a snapshot keeps of this series, copied under one lock so the parts agree. */
    record State(ValueType type, double[] open, String lastString, byte[][] rings) {
    }

    synchronized State state() {
        byte[][] copy = new byte[layout.rings()][];
        for (int i = 0; i < copy.length; i++) {
            int from = at + layout.start(i);
            copy[i] = Arrays.copyOfRange(slab, from, from + CompactRing.size(layout.buckets(i)));
        }
        double[] open = {openCount == 0 ? Double.NaN : openNo, openCount, openSum, openMin, openMax, openFirst,
            openLast};
        return new State(type, open, lastString, copy);
    }

    synchronized void restore(byte[][] saved, double[] open, String last) {
        for (int i = 0; i < saved.length; i++) {
            System.arraycopy(saved[i], 0, slab, at + layout.start(i), CompactRing.size(layout.buckets(i)));
        }
        if (!Double.isNaN(open[0])) {
            openNo = (long) open[0];
            openCount = (int) open[1];
            openSum = open[2];
            openMin = open[3];
            openMax = open[4];
            openFirst = open[5];
            openLast = open[6];
        }
        lastString = last;
    }
}
