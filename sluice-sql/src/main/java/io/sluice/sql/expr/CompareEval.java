package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

/** {@code = != < <= > >=} over operands of one type; NULL if either is NULL. */
public final class CompareEval implements Evaluator {
    private final String op;
    private final int code;
    private final Evaluator left;
    private final Evaluator right;

    public CompareEval(String op, Evaluator left, Evaluator right) {
        this.op = op;
        this.left = left;
        this.right = right;
        switch (op) {
            case "=": code = 0; break;
            case "!=": code = 1; break;
            case "<": code = 2; break;
            case "<=": code = 3; break;
            case ">": code = 4; break;
            case ">=": code = 5; break;
            default: throw new IllegalArgumentException("comparison " + op);
        }
    }

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
        switch (code) {
            case 0: return Values.equal(a, b);
            case 1: return !Values.equal(a, b);
            case 2: return Values.compare(a, b) < 0;
            case 3: return Values.compare(a, b) <= 0;
            case 4: return Values.compare(a, b) > 0;
            default: return Values.compare(a, b) >= 0;
        }
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
        return "(" + left + " " + op + " " + right + ")";
    }
}
