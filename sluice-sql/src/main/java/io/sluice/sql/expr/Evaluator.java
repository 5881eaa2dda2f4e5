package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/**
 * A compiled, typed expression: reads a row (an array of values in its input's column order) and
 * the row's event time, and returns a value of {@link #type()} (or null). Evaluators are built once
 * per flow by the analyzer; they never look anything up by name while running. Immutable and
 * thread-safe unless noted. {@link #toString()} is the expression's canonical text, used by
 * EXPLAIN and to match GROUP BY expressions.
 */
public interface Evaluator {
    Object eval(Object[] row, long time);

    SqlType type();

    /** The input column this evaluator reads unchanged, or -1. Lets hot loops read it directly. */
    default int columnIndex() {
        return -1;
    }

    /** True if the result is the same for every row (a literal or a function of literals). */
    default boolean isConstant() {
        return false;
    }
}
