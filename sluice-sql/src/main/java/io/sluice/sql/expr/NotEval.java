package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** NOT; NULL stays NULL. */
public record NotEval(Evaluator input) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        Object v = input.eval(row, time);
        return v == null ? null : (Object) !(Boolean) v;
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
        return "(NOT " + input + ")";
    }
}
