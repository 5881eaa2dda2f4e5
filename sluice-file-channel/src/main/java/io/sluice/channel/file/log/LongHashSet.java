package io.sluice.channel.file.log;

/**
 * An open-addressing set of longs (no boxing), for pointers taken before replay reaches them.
 * The value {@code 0} is never a valid pointer (segment 0 is never used) and marks empty slots.
 *
 * <p>Not thread-safe.
 */
public final class LongHashSet {
    private long[] slots = new long[64];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean add(long v) {
        if (v == 0) {
            throw new IllegalArgumentException("0 cannot be stored");
        }
        if ((size + 1) * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        while (slots[i] != 0) {
            if (slots[i] == v) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = v;
        size++;
        return true;
    }

    public boolean contains(long v) {
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        while (slots[i] != 0) {
            if (slots[i] == v) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    public boolean remove(long v) {
        if (size == 0 || v == 0) {
            return false;
        }
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        while (slots[i] != 0) {
            if (slots[i] == v) {
                slots[i] = 0;
                size--;
                // re-insert the rest of the cluster
                int j = (i + 1) & mask;
                while (slots[j] != 0) {
                    long x = slots[j];
                    slots[j] = 0;
                    size--;
                    add(x);
                    j = (j + 1) & mask;
                }
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private void rehash(int cap) {
        long[] old = slots;
        slots = new long[cap];
        size = 0;
        for (long v : old) {
            if (v != 0) {
                add(v);
            }
        }
    }

    private static int mix(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
