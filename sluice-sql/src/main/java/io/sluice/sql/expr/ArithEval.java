package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * {@code + - * / %} over operands already widened to one numeric type (the analyzer inserts the
 * casts). NULL if either operand is NULL; division or remainder by zero gives NULL.
 */
public final class ArithEval implements Evaluator {
    private final char op;
    private final Evaluator left;
    private final Evaluator right;
    private final SqlType type;
    private final SqlType.Kind kind;

    public ArithEval(char op, Evaluator left, Evaluator right, SqlType type) {
        this.op = op;
        this.left = left;
        this.right = right;
        this.type = type;
        this.kind = type.kind();
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
        switch (kind) {
            case INT: {
                int x = (Integer) a;
                int y = (Integer) b;
                switch (op) {
                    case '+': return x + y;
                    case '-': return x - y;
                    case '*': return x * y;
                    case '/': return y == 0 ? null : (Object) (x / y);
                    default: return y == 0 ? null : (Object) (x % y);
                }
            }
            case BIGINT:
            case TIMESTAMP: {
                long x = ((Number) a).longValue();
                long y = ((Number) b).longValue();
                switch (op) {
                    case '+': return x + y;
                    case '-': return x - y;
                    case '*': return x * y;
                    case '/': return y == 0 ? null : (Object) (x / y);
                    default: return y == 0 ? null : (Object) (x % y);
                }
            }
            case FLOAT: {
                float x = (Float) a;
                float y = (Float) b;
                switch (op) {
                    case '+': return x + y;
                    case '-': return x - y;
                    case '*': return x * y;
                    case '/': return y == 0 ? null : (Object) (x / y);
                    default: return y == 0 ? null : (Object) (x % y);
                }
            }
            case DOUBLE: {
                double x = (Double) a;
                double y = (Double) b;
                switch (op) {
                    case '+': return x + y;
                    case '-': return x - y;
                    case '*': return x * y;
                    case '/': return y == 0 ? null : (Object) (x / y);
                    default: return y == 0 ? null : (Object) (x % y);
                }
            }
            case PRECISE: {
                BigDecimal x = (BigDecimal) a;
                BigDecimal y = (BigDecimal) b;
                BigDecimal r;
                switch (op) {
                    case '+': r = x.add(y); break;
                    case '-': r = x.subtract(y); break;
                    case '*': r = x.multiply(y); break;
                    case '/':
                        if (y.signum() == 0) {
                            return null;
                        }
                        r = x.divide(y, MathContext.DECIMAL128);
                        break;
                    default:
                        if (y.signum() == 0) {
                            return null;
                        }
                        r = x.remainder(y);
                }
                return r.setScale(type.scale(), RoundingMode.HALF_UP);
            }
            default:
                throw new IllegalStateException("arithmetic on " + type);
        }
    }

    @Override
    public SqlType type() {
        return type;
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
