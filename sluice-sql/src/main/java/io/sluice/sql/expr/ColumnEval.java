package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** Reads input column {@code index}. */
public record ColumnEval(int index, SqlType type, String name) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        return row[index];
    }

    @Override
    public int columnIndex() {
        return index;
    }

    @Override
    public String toString() {
        return name;
    }
}
