package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.AggCall;

import java.util.Arrays;
import java.util.List;

/**
 * Groups and their aggregate state for one slice of time (a pane, a window or a session table):
 * a {@link GroupTable} and one {@link Accumulator} per aggregate. Not thread-safe.
 */
final class GroupState {
    final GroupTable groups;
    final Accumulator[] accs;
    private final int keyCount;
    private int capacity;

    GroupState(Evaluator[] keys, List<AggCall> calls) {
        this.groups = new GroupTable(keys);
        this.keyCount = keys.length;
        this.accs = new Accumulator[calls.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = Accumulators.create(calls.get(i));
        }
    }

    /** Adds a row to its group. */
    void add(Object[] row, long time) {
        int slot = groups.slotOf(row, time);
        if (slot >= capacity) {
            grow(slot + 1);
        }
        for (Accumulator a : accs) {
            a.add(slot, row, time);
        }
    }

    void grow(int n) {
        int c = Math.max(n, Math.max(16, capacity * 2));
        for (Accumulator a : accs) {
            a.ensure(c);
        }
        capacity = c;
    }

    /** Folds every group of {@code other} into this state. */
    void mergeAll(GroupState other) {
        for (int s = 0; s < other.groups.size(); s++) {
            mergeSlot(other, s);
        }
    }

    /** Folds group {@code s} of {@code other} into this state; returns its slot here. */
    int mergeSlot(GroupState other, int s) {
        int t = groups.slotOfKey(other.groups.key(s));
        if (t >= capacity) {
            grow(t + 1);
        }
        for (int i = 0; i < accs.length; i++) {
            accs[i].merge(t, other.accs[i], s);
        }
        return t;
    }

    /** Slots in the order of their keys (NULL first), so output does not depend on arrival order. */
    int[] sortedSlots() {
        int n = groups.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (keyCount > 0 && n > 1) {
            Arrays.sort(order, (a, b) -> groups.compareKeys(a, b));
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** The output row of group {@code slot}: window bounds, keys, aggregate results. */
    Object[] row(int slot, long start, long end) {
        Object[] r = new Object[2 + keyCount + accs.length];
        r[0] = start;
        r[1] = end;
        for (int k = 0; k < keyCount; k++) {
            r[2 + k] = groups.keyValue(slot, k);
        }
        for (int i = 0; i < accs.length; i++) {
            r[2 + keyCount + i] = accs[i].result(slot);
        }
        return r;
    }
}
