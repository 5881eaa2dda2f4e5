package io.sluice.sql.expr;

import io.sluice.sql.SqlType;
import io.sluice.sql.SqlType.Kind;

/**
 * rtsql's implicit widening: INT -> BIGINT -> FLOAT -> DOUBLE; INT and BIGINT -> PRECISE;
 * NULL -> anything; TIMESTAMP and BIGINT compare and mix. Stateless and thread-safe.
 */
public final class Types {
    private Types() {
    }

    private static int rank(Kind k) {
        switch (k) {
            case INT: return 1;
            case BIGINT: return 2;
            case FLOAT: return 3;
            case DOUBLE: return 4;
            default: return 0;
        }
    }

    /** True if a value of {@code from} may be used where {@code to} is expected without a CAST. */
    public static boolean widens(SqlType from, SqlType to) {
        if (from.kind() == Kind.NULL || from.sameAs(to)) {
            return true;
        }
        Kind f = from.kind();
        Kind t = to.kind();
        if (rank(f) > 0 && rank(t) > 0) {
            return rank(f) <= rank(t);
        }
        if (t == Kind.PRECISE) {
            return f == Kind.INT || f == Kind.BIGINT || f == Kind.PRECISE;
        }
        if (t == Kind.TIMESTAMP) {
            return f == Kind.INT || f == Kind.BIGINT;
        }
        if (t == Kind.LIST && f == Kind.LIST) {
            return widens(from.elementType(), to.elementType());
        }
        if (t == Kind.MAP && f == Kind.MAP) {
            return from.keyType().sameAs(to.keyType()) && widens(from.elementType(), to.elementType());
        }
        return false;
    }

    /** The narrowest type both widen to, nullable if either is; null if there is none. */
    public static SqlType common(SqlType a, SqlType b) {
        boolean nullable = a.nullable() || b.nullable();
        if (a.kind() == Kind.NULL) {
            return b.withNullable(true);
        }
        if (b.kind() == Kind.NULL) {
            return a.withNullable(true);
        }
        if (a.sameAs(b)) {
            return a.withNullable(nullable);
        }
        Kind x = a.kind();
        Kind y = b.kind();
        if (rank(x) > 0 && rank(y) > 0) {
            return (rank(x) >= rank(y) ? a : b).withNullable(nullable);
        }
        if (x == Kind.PRECISE && y == Kind.PRECISE) {
            return SqlType.precise(Math.max(a.scale(), b.scale())).withNullable(nullable);
        }
        if (x == Kind.PRECISE && (y == Kind.INT || y == Kind.BIGINT)) {
            return a.withNullable(nullable);
        }
        if (y == Kind.PRECISE && (x == Kind.INT || x == Kind.BIGINT)) {
            return b.withNullable(nullable);
        }
        if (x == Kind.PRECISE && (y == Kind.FLOAT || y == Kind.DOUBLE)
                || y == Kind.PRECISE && (x == Kind.FLOAT || x == Kind.DOUBLE)) {
            return SqlType.DOUBLE.withNullable(nullable);
        }
        if (x == Kind.TIMESTAMP && (y == Kind.INT || y == Kind.BIGINT)
                || y == Kind.TIMESTAMP && (x == Kind.INT || x == Kind.BIGINT)) {
            return SqlType.TIMESTAMP.withNullable(nullable);
        }
        if (x == Kind.LIST && y == Kind.LIST) {
            SqlType el = common(a.elementType(), b.elementType());
            return el == null ? null : SqlType.list(el).withNullable(nullable);
        }
        if (x == Kind.MAP && y == Kind.MAP && a.keyType().sameAs(b.keyType())) {
            SqlType v = common(a.elementType(), b.elementType());
            return v == null ? null : SqlType.map(a.keyType(), v).withNullable(nullable);
        }
        return null;
    }

    /** {@code e} converted to {@code to} (no-op when it already has that type). */
    public static Evaluator coerce(Evaluator e, SqlType to) {
        if (e.type().sameAs(to)) {
            return e;
        }
        if (e instanceof LiteralEval lit) {
            return new LiteralEval(Values.cast(lit.value(), lit.type(), to), to.withNullable(lit.value() == null));
        }
        return new CastEval(e, to.withNullable(e.type().nullable()));
    }
}
