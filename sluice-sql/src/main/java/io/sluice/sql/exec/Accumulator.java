package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;

/**
 * The state of one aggregate for many groups, in columnar arrays indexed by group slot, so adding a
 * row costs an array update and no allocation. Not thread-safe.
 */
public abstract class Accumulator {
    private final Evaluator arg;
    private final int column;
    protected int capacity;

    protected Accumulator(Evaluator arg) {
        this.arg = arg;
        this.column = arg == null ? -1 : arg.columnIndex();
    }

    /** The aggregate's argument for this row. */
    protected final Object arg(Object[] row, long time) {
        return column >= 0 ? row[column] : arg.eval(row, time);
    }

    /** Makes room for slots {@code 0 .. n-1}. */
    public final void ensure(int n) {
        if (n > capacity) {
            int c = Math.max(n, Math.max(16, capacity * 2));
            grow(c);
            capacity = c;
        }
    }

    protected abstract void grow(int newCapacity);

    public abstract void add(int slot, Object[] row, long time);

    /** Folds slot {@code from} of {@code other} (same aggregate, a later or equal slice) into {@code slot}. */
    public abstract void merge(int slot, Accumulator other, int from);

    public abstract Object result(int slot);

    /** Forgets slot {@code slot} (so it can be reused). */
    public abstract void clear(int slot);
}
