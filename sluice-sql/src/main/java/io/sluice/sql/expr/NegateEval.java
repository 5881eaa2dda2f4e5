package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

import java.math.BigDecimal;

/** Unary minus; the negation of the smallest INT or BIGINT overflows and gives NULL. */
public record NegateEval(Evaluator input) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        Object v = input.eval(row, time);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer i) {
            return i == Integer.MIN_VALUE ? ArithmeticErrors.report("INT overflow", this) : (Object) (-i);
        }
        if (v instanceof Long l) {
            return l == Long.MIN_VALUE ? ArithmeticErrors.report(input.type().kind() + " overflow", this)
                    : (Object) (-l);
        }
        if (v instanceof Double d) {
            return -d;
        }
        if (v instanceof Float f) {
            return -f;
        }
        return ((BigDecimal) v).negate();
    }

    @Override
    public SqlType type() {
        return input.type();
    }

    @Override
    public boolean isConstant() {
        return input.isConstant();
    }

    @Override
    public String toString() {
        return "-" + input;
    }
}
