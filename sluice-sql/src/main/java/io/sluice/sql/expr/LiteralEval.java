package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** A constant. */
public record LiteralEval(Object value, SqlType type) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        return value;
    }

    @Override
    public boolean isConstant() {
        return true;
    }

    @Override
    public String toString() {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        return Values.text(value);
    }
}
