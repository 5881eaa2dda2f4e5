package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;

/** Passes on the rows whose predicate is TRUE (not FALSE, not NULL). */
public final class FilterOperator implements Operator {
    private final Evaluator predicate;
    private final RowConsumer out;

    public FilterOperator(Evaluator predicate, RowConsumer out) {
        this.predicate = predicate;
        this.out = out;
    }

    @Override
    public void add(int port, Object[] row, long time) {
        if (predicate.eval(row, time) == Boolean.TRUE) {
            out.accept(row, time);
        }
    }
}
