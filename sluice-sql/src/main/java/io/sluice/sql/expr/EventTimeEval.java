package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** EVENT_TIMESTAMP(): the row's event time. */
public record EventTimeEval() implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        return time;
    }

    @Override
    public SqlType type() {
        return SqlType.TIMESTAMP.notNull();
    }

    @Override
    public String toString() {
        return "EVENT_TIMESTAMP()";
    }
}
