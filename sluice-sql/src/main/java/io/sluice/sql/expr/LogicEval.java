package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** AND and OR in three-valued logic: {@code NULL AND FALSE} is FALSE, {@code NULL OR TRUE} is TRUE. */
public record LogicEval(boolean and, Evaluator left, Evaluator right) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        Object a = left.eval(row, time);
        if (a != null && (Boolean) a != and) {
            return !and; // FALSE for AND, TRUE for OR: decided
        }
        Object b = right.eval(row, time);
        if (b != null && (Boolean) b != and) {
            return !and;
        }
        return a == null || b == null ? null : (Object) and;
    }

    @Override
    public SqlType type() {
        return SqlType.BOOLEAN.withNullable(left.type().nullable() || right.type().nullable());
    }

    @Override
    public boolean isConstant() {
        return left.isConstant() && right.isConstant();
    }

    @Override
    public String toString() {
        return "(" + left + (and ? " AND " : " OR ") + right + ")";
    }
}
