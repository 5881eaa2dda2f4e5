package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

import java.time.Clock;

/** CURRENT_TIMESTAMP(): the engine clock's time when the row is evaluated. */
public record ClockEval(Clock clock) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        return clock.millis();
    }

    @Override
    public SqlType type() {
        return SqlType.TIMESTAMP.notNull();
    }

    @Override
    public String toString() {
        return "CURRENT_TIMESTAMP()";
    }
}
