package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** {@code IS [NOT] NULL}; never NULL itself. */
public record IsNullEval(Evaluator input, boolean negated) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        return (input.eval(row, time) == null) != negated;
    }

    @Override
    public SqlType type() {
        return SqlType.BOOLEAN.notNull();
    }

    @Override
    public boolean isConstant() {
        return input.isConstant();
    }

    @Override
    public String toString() {
        return "(" + input + (negated ? " IS NOT NULL)" : " IS NULL)");
    }
}
