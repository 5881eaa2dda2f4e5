package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * {@code + - * / %} over operands already widened to one numeric type (the analyzer inserts the
 * casts). NULL if either operand is NULL. An INT or BIGINT result that does not fit its type
 * (overflow, including {@code MIN / -1}) and a division or remainder by zero give NULL and are
 * reported to {@link ArithmeticErrors}: a wrong number is never produced.
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
                long r;
                switch (op) {
                    case '+': r = (long) x + y; break;
                    case '-': r = (long) x - y; break;
                    case '*': r = (long) x * y; break;
                    case '/':
                        if (y == 0) {
                            return ArithmeticErrors.report("division by zero", this);
                        }
                        r = (long) x / y;
                        break;
                    default:
                        if (y == 0) {
                            return ArithmeticErrors.report("division by zero", this);
                        }
                        r = x % y;
                }
                return r == (int) r ? (Object) (int) r : ArithmeticErrors.report("INT overflow", this);
            }
            case BIGINT:
            case TIMESTAMP: {
                long x = ((Number) a).longValue();
                long y = ((Number) b).longValue();
                try {
                    switch (op) {
                        case '+': return Math.addExact(x, y);
                        case '-': return Math.subtractExact(x, y);
                        case '*': return Math.multiplyExact(x, y);
                        case '/':
                            if (y == 0) {
                                return ArithmeticErrors.report("division by zero", this);
                            }
                            if (x == Long.MIN_VALUE && y == -1) {
                                return ArithmeticErrors.report(kind + " overflow", this);
                            }
                            return x / y;
                        default:
                            return y == 0 ? ArithmeticErrors.report("division by zero", this) : (Object) (x % y);
                    }
                } catch (ArithmeticException e) {
                    return ArithmeticErrors.report(kind + " overflow", this);
                }
            }
            case FLOAT: {
                float x = (Float) a;
                float y = (Float) b;
                switch (op) {
                    case '+': return x + y;
                    case '-': return x - y;
                    case '*': return x * y;
                    case '/': return y == 0 ? ArithmeticErrors.report("division by zero", this) : (Object) (x / y);
                    default: return y == 0 ? ArithmeticErrors.report("division by zero", this) : (Object) (x % y);
                }
            }
            case DOUBLE: {
                double x = (Double) a;
                double y = (Double) b;
                switch (op) {
                    case '+': return x + y;
                    case '-': return x - y;
                    case '*': return x * y;
                    case '/': return y == 0 ? ArithmeticErrors.report("division by zero", this) : (Object) (x / y);
                    default: return y == 0 ? ArithmeticErrors.report("division by zero", this) : (Object) (x % y);
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
                            return ArithmeticErrors.report("division by zero", this);
                        }
                        r = x.divide(y, MathContext.DECIMAL128);
                        break;
                    default:
                        if (y.signum() == 0) {
                            return ArithmeticErrors.report("division by zero", this);
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
