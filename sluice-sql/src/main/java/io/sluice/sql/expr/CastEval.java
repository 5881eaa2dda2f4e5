package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** Converts its input to {@code type}; a value that cannot be converted becomes NULL. */
public record CastEval(Evaluator input, SqlType type) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        return Values.cast(input.eval(row, time), input.type(), type);
    }

    @Override
    public boolean isConstant() {
        return input.isConstant();
    }

    @Override
    public String toString() {
        return "CAST(" + input + " AS " + type.name() + ")";
    }
}
