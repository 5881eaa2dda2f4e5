package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** String concatenation ({@code ||}, or {@code +} with a STRING operand); NULL if either is NULL. */
public record ConcatEval(Evaluator left, Evaluator right) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        Object a = left.eval(row, time);
        if (a == null) {
            return null;
        }
        Object b = right.eval(row, time);
        if (b == null) {
            return null;
        }
        return Values.text(a).concat(Values.text(b));
    }

    @Override
    public SqlType type() {
        return SqlType.STRING.withNullable(left.type().nullable() || right.type().nullable());
    }

    @Override
    public boolean isConstant() {
        return left.isConstant() && right.isConstant();
    }

    @Override
    public String toString() {
        return "(" + left + " || " + right + ")";
    }
}
