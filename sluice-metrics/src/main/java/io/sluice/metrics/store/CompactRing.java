package io.sluice.metrics.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The compact layout of one ring: a run of bytes at offset {@code at} of an array (a
 * {@link Slabs} slab shared by many series), so a series with Artimon's four default rings (276
 * buckets) holds its history in 3,376 bytes. Offsets below are from {@code at}.
 *
 * <pre>
 * offset 0   double  base: the first value the ring received; values are stored as offsets from it
 * offset 8   long    head: number (time / resolution) of the newest bucket, Long.MIN_VALUE when empty
 * offset 16  buckets, 12 bytes each, bucket number b at slot b mod buckets:
 *   3 bytes  min - base, as a float with its 8 lowest mantissa bits dropped, rounded down
 *   3 bytes  max - base, the same, rounded up (so min &lt;= every sample &lt;= max)
 *   6 bytes  four 12-bit fields: count (0 = empty slot, saturating at 4095), then first, last and
 *            mean, each as a fraction q/4095 of the way from the stored min to the stored max
 * </pre>
 *
 * <p>Precision: min and max keep 16 significant bits of their offset from the base (relative error
 * at most 2^-15 of that offset); first, last and the mean are within (max - min) / 8190 of the
 * value; the sum is mean x count. A 1-hour bucket of a counter that grew by 1,000,000 in that hour
 * thus gives its increase to about 0.03%. The open (newest) bucket of the finest ring is kept in
 * full precision by {@link Series} and written here only when it closes, so each fine bucket is
 * quantised once and each coarse bucket once per fine bucket folded into it.
 *
 * <p>Not thread-safe; {@link Series} guards it.
 */
final class CompactRing {
    static final int HEADER = 16;
    static final int BUCKET = 12;
    static final int MAX_COUNT = 4095;
    private static final double Q = 4095.0;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle DOUBLE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);

    private CompactRing() {
    }

    /** The bytes of a ring of {@code buckets} buckets. */
    static int size(int buckets) {
        return HEADER + buckets * BUCKET;
    }

    /** Makes the bytes at {@code at} an empty ring. */
    static void init(byte[] ring, int at) {
        DOUBLE.set(ring, at, Double.NaN);
        LONG.set(ring, at + 8, Long.MIN_VALUE);
    }

    static long head(byte[] ring, int at) {
        return (long) LONG.get(ring, at + 8);
    }

    static double base(byte[] ring, int at) {
        return (double) DOUBLE.get(ring, at);
    }

    /**
     * Folds an aggregate into bucket number {@code no}: a newer bucket moves the head and empties
     * the slots it passes; a bucket older than the ring holds is ignored and false is returned.
     */
    static boolean merge(byte[] ring, int at, int n, long no, long count, double sum, double min, double max,
            double first, double last) {
        long head = head(ring, at);
        if (head == Long.MIN_VALUE || no > head) {
            // a ring that never held a bucket is all empty slots already (zeroed when cut from its slab)
            long clearFrom = head == Long.MIN_VALUE ? no + 1 : Math.max(head + 1, no - n + 1);
            for (long b = clearFrom; b <= no; b++) {
                int off = at + offset(b, n);
                Arrays.fill(ring, off, off + BUCKET, (byte) 0);
            }
            LONG.set(ring, at + 8, no);
        } else if (no <= head - n) {
            return false;
        }
        double base = base(ring, at);
        if (Double.isNaN(base)) {
            base = first;
            DOUBLE.set(ring, at, base);
        }
        int off = at + offset(no, n);
        long c = count(ring, off);
        if (c > 0) {
            double oldMin = min24(ring, off, base);
            double oldMax = max24(ring, off, base);
            double span = oldMax - oldMin;
            double oldFirst = oldMin + frac(ring, off, 1) / Q * span;
            double oldMean = oldMin + frac(ring, off, 3) / Q * span;
            sum += oldMean * c;
            count += c;
            min = Math.min(min, oldMin);
            max = Math.max(max, oldMax);
            first = oldFirst;
        }
        write(ring, off, base, count, sum, min, max, first, last);
        return true;
    }

    /** One decoded bucket; reused from bucket to bucket by a reader so reading allocates nothing. */
    static final class Decoded {
        long count;
        double sum;
        double min;
        double max;
        double first;
        double last;
    }

    /** Decodes bucket number {@code no} into {@code d}; false (d untouched) when empty or no longer held. */
    static boolean decode(byte[] ring, int at, int n, long no, Decoded d) {
        long head = head(ring, at);
        if (head == Long.MIN_VALUE || no > head || no <= head - n) {
            return false;
        }
        int off = at + offset(no, n);
        long p = packed(ring, off);
        long c = p >>> 36;
        if (c == 0) {
            return false;
        }
        double base = base(ring, at);
        double min = min24(ring, off, base);
        double max = max24(ring, off, base);
        double span = max - min;
        d.count = c;
        d.min = min;
        d.max = max;
        d.first = min + ((p >>> 24) & 0xFFF) / Q * span;
        d.last = min + ((p >>> 12) & 0xFFF) / Q * span;
        d.sum = (min + (p & 0xFFF) / Q * span) * c;
        return true;
    }

    private static int offset(long no, int n) {
        return HEADER + (int) Math.floorMod(no, (long) n) * BUCKET;
    }

    private static void write(byte[] ring, int off, double base, long count, double sum, double min, double max,
            double first, double last) {
        int lo = float24(min - base, false);
        int hi = float24(max - base, true);
        put24(ring, off, lo);
        put24(ring, off + 3, hi);
        double dmin = Float.intBitsToFloat(lo << 8) + base;
        double dmax = Float.intBitsToFloat(hi << 8) + base;
        double span = dmax - dmin;
        long packed = ((long) Math.min(count, MAX_COUNT) << 36) | ((long) q(first, dmin, span) << 24)
                | ((long) q(last, dmin, span) << 12) | q(sum / count, dmin, span);
        for (int i = 0; i < 6; i++) {
            ring[off + 6 + i] = (byte) (packed >>> (40 - 8 * i));
        }
    }

    private static long q(double v, double min, double span) {
        if (!(span > 0)) {
            return 0;
        }
        long r = Math.round((v - min) / span * Q);
        return Math.max(0, Math.min(4095, r));
    }

    private static long packed(byte[] ring, int off) {
        long p = 0;
        for (int i = 0; i < 6; i++) {
            p = (p << 8) | (ring[off + 6 + i] & 0xFF);
        }
        return p;
    }

    private static long count(byte[] ring, int off) {
        return packed(ring, off) >>> 36;
    }

    /** field 1 = first, 2 = last, 3 = mean. */
    private static long frac(byte[] ring, int off, int field) {
        return (packed(ring, off) >>> (36 - 12 * field)) & 0xFFF;
    }

    private static double min24(byte[] ring, int off, double base) {
        return Float.intBitsToFloat(get24(ring, off) << 8) + base;
    }

    private static double max24(byte[] ring, int off, double base) {
        return Float.intBitsToFloat(get24(ring, off + 3) << 8) + base;
    }

    private static void put24(byte[] ring, int off, int v) {
        ring[off] = (byte) (v >>> 16);
        ring[off + 1] = (byte) (v >>> 8);
        ring[off + 2] = (byte) v;
    }

    private static int get24(byte[] ring, int off) {
        return ((ring[off] & 0xFF) << 16) | ((ring[off + 1] & 0xFF) << 8) | (ring[off + 2] & 0xFF);
    }

    /**
     * The 24 high bits of the float nearest {@code v} in the given direction: the result, widened
     * back, is &lt;= v ({@code up} false) or &gt;= v ({@code up} true).
     */
    static int float24(double v, boolean up) {
        float f = (float) v;
        if (up && f < v) {
            f = Math.nextUp(f);
        } else if (!up && f > v) {
            f = Math.nextDown(f);
        }
        int bits = Float.floatToRawIntBits(f);
        int top = bits >>> 8;
        if ((bits & 0xFF) != 0) {
            boolean negative = bits < 0;
            // dropping bits moves a value toward zero: correct when that is the wrong direction
            if (up != negative) {
                top++;
            }
        }
        if (Float.isInfinite(Float.intBitsToFloat(top << 8)) && !Float.isInfinite(f)) {
            top--;
        }
        return top & 0xFFFFFF;
    }
}
