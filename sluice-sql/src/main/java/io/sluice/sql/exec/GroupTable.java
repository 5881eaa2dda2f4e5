package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.expr.Values;

import java.util.Arrays;

/**
 * Maps group keys to dense slot numbers 0, 1, 2, ... in order of first appearance, with open
 * addressing and no allocation on a hit. A key of one column is stored as the value itself; a
 * key of several as an array. Not thread-safe.
 */
public final class GroupTable {
    private final Evaluator[] keyEvals;
    private final int[] keyColumns;
    private final Object[] scratch;
    private int[] table = new int[16];     // slot + 1, 0 = empty
    private int[] hashes = new int[8];
    private Object[] keys = new Object[8];
    private int size;

    public GroupTable(Evaluator[] keyEvals) {
        this.keyEvals = keyEvals;
        this.keyColumns = new int[keyEvals.length];
        for (int i = 0; i < keyEvals.length; i++) {
            keyColumns[i] = keyEvals[i].columnIndex();
        }
        this.scratch = new Object[keyEvals.length];
    }

    public int size() {
        return size;
    }

    /** The key of {@code slot}: the value for one key column, an {@code Object[]} for several. */
    public Object key(int slot) {
        return keys[slot];
    }

    /** The value of key column {@code k} of {@code slot}. */
    public Object keyValue(int slot, int k) {
        return keyEvals.length == 1 ? keys[slot] : ((Object[]) keys[slot])[k];
    }

    /** Orders slots {@code a} and {@code b} by their key values, column by column, NULL first. */
    public int compareKeys(int a, int b) {
        for (int k = 0; k < keyEvals.length; k++) {
            int c = Values.compareNullsFirst(keyValue(a, k), keyValue(b, k));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The slot of the row's group, added if new. */
    public int slotOf(Object[] row, long time) {
        int n = keyEvals.length;
        if (n == 1) {
            int c = keyColumns[0];
            Object k = c >= 0 ? row[c] : keyEvals[0].eval(row, time);
            return slotOfValue(k);
        }
        int h = 1;
        for (int i = 0; i < n; i++) {
            int c = keyColumns[i];
            Object v = c >= 0 ? row[c] : keyEvals[i].eval(row, time);
            scratch[i] = v;
            h = h * 31 + Values.hash(v);
        }
        return slotOfScratch(mix(h));
    }

    /** The slot of a one-column key, or of a several-column key given as an {@code Object[]}. */
    public int slotOfKey(Object key) {
        if (keyEvals.length == 1) {
            return slotOfValue(key);
        }
        Object[] k = (Object[]) key;
        System.arraycopy(k, 0, scratch, 0, k.length);
        int h = 1;
        for (Object v : k) {
            h = h * 31 + Values.hash(v);
        }
        return slotOfScratch(mix(h));
    }

    /** The slot of the several-column key in {@code scratch} with mixed hash {@code h}, added (as a copy) if new. */
    private int slotOfScratch(int h) {
        int mask = table.length - 1;
        int i = h & mask;
        while (true) {
            int s = table[i];
            if (s == 0) {
                return insert(i, h, scratch.clone());
            }
            if (hashes[s - 1] == h && sameKey((Object[]) keys[s - 1])) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
    }

    private int slotOfValue(Object k) {
        int h = mix(Values.hash(k));
        int mask = table.length - 1;
        int i = h & mask;
        while (true) {
            int s = table[i];
            if (s == 0) {
                return insert(i, h, k);
            }
            if (hashes[s - 1] == h) {
                Object o = keys[s - 1];
                if (o == k || o != null && (o.equals(k) || Values.equal(o, k))) {
                    return s - 1;
                }
            }
            i = (i + 1) & mask;
        }
    }

    private boolean sameKey(Object[] stored) {
        for (int j = 0; j < scratch.length; j++) {
            if (!Values.equal(stored[j], scratch[j]) && !(stored[j] == null && scratch[j] == null)) {
                return false;
            }
        }
        return true;
    }

    private int insert(int at, int h, Object key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        keys[size] = key;
        hashes[size] = h;
        table[at] = ++size;
        if (size * 2 > table.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        int[] t = new int[table.length * 2];
        int mask = t.length - 1;
        for (int s = 0; s < size; s++) {
            int i = hashes[s] & mask;
            while (t[i] != 0) {
                i = (i + 1) & mask;
            }
            t[i] = s + 1;
        }
        table = t;
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
