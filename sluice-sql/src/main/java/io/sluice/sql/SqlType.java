package io.sluice.sql;

import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * An rtsql column type: a {@link Kind}, the scale of {@code PRECISE(n)}, the element type of
 * {@code LIST<t>}, the key and value types of {@code MAP<k, v>}, and whether NULL is allowed.
 * Immutable and thread-safe.
 *
 * <p>Java values of each kind: BOOLEAN {@link Boolean}, INT {@link Integer}, BIGINT {@link Long},
 * FLOAT {@link Float}, DOUBLE {@link Double}, PRECISE {@link java.math.BigDecimal} (of the type's
 * scale), STRING {@link String}, BINARY {@code byte[]}, TIMESTAMP {@link Long} milliseconds since
 * the epoch, LIST {@link java.util.List}, MAP an unmodifiable {@link java.util.Map} whose keys are in
 * ascending order (so that equal maps print alike).
 */
public final class SqlType {
    /** The kinds of rtsql types. */
    public enum Kind { BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, PRECISE, STRING, BINARY, TIMESTAMP, LIST, MAP, NULL }

    public static final SqlType BOOLEAN = new SqlType(Kind.BOOLEAN, 0, null, true);
    public static final SqlType INT = new SqlType(Kind.INT, 0, null, true);
    public static final SqlType BIGINT = new SqlType(Kind.BIGINT, 0, null, true);
    public static final SqlType FLOAT = new SqlType(Kind.FLOAT, 0, null, true);
    public static final SqlType DOUBLE = new SqlType(Kind.DOUBLE, 0, null, true);
    public static final SqlType STRING = new SqlType(Kind.STRING, 0, null, true);
    public static final SqlType BINARY = new SqlType(Kind.BINARY, 0, null, true);
    public static final SqlType TIMESTAMP = new SqlType(Kind.TIMESTAMP, 0, null, true);
    /** The type of the literal NULL; widens to any type. */
    public static final SqlType NULL = new SqlType(Kind.NULL, 0, null, true);

    private final Kind kind;
    private final int scale;
    private final SqlType element;
    private final SqlType key;
    private final boolean nullable;

    private SqlType(Kind kind, int scale, SqlType element, boolean nullable) {
        this(kind, scale, null, element, nullable);
    }

    private SqlType(Kind kind, int scale, SqlType key, SqlType element, boolean nullable) {
        this.kind = requireNonNull(kind, "kind is null");
        this.scale = scale;
        this.key = key;
        this.element = element;
        this.nullable = nullable;
    }

    /** {@code PRECISE(scale)}: a decimal with {@code scale} digits after the point. */
    public static SqlType precise(int scale) {
        if (scale < 0 || scale > 100) {
            throw new IllegalArgumentException("scale: " + scale + " (expected: 0..100)");
        }
        return new SqlType(Kind.PRECISE, scale, null, true);
    }

    /** {@code LIST<element>}. */
    public static SqlType list(SqlType element) {
        return new SqlType(Kind.LIST, 0, requireNonNull(element, "element is null"), true);
    }

    /**
     * {@code MAP<key, value>}. Keys are scalars that can be compared (not LIST, MAP or BINARY); a map
     * never holds a NULL key.
     */
    public static SqlType map(SqlType key, SqlType value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        Kind k = key.kind();
        if (k == Kind.LIST || k == Kind.MAP || k == Kind.BINARY || k == Kind.NULL) {
            throw new IllegalArgumentException("map key type: " + key.name()
                    + " (expected: BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, PRECISE(n), STRING or TIMESTAMP)");
        }
        return new SqlType(Kind.MAP, 0, key.withNullable(false), value.withNullable(true), true);
    }

    /** A simple (non-parameterised) type of this kind. */
    public static SqlType of(Kind kind) {
        switch (kind) {
            case BOOLEAN: return BOOLEAN;
            case INT: return INT;
            case BIGINT: return BIGINT;
            case FLOAT: return FLOAT;
            case DOUBLE: return DOUBLE;
            case STRING: return STRING;
            case BINARY: return BINARY;
            case TIMESTAMP: return TIMESTAMP;
            case NULL: return NULL;
            case PRECISE: return precise(0);
            default: throw new IllegalArgumentException("kind " + kind + " needs a parameter");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The scale of a PRECISE type, 0 otherwise. */
    public int scale() {
        return scale;
    }

    /** The element type of a LIST, the value type of a MAP, null otherwise. */
    public SqlType elementType() {
        return element;
    }

    /** The key type of a MAP, null otherwise. */
    public SqlType keyType() {
        return key;
    }

    public boolean nullable() {
        return nullable;
    }

    public SqlType withNullable(boolean nullable) {
        return nullable == this.nullable ? this : new SqlType(kind, scale, key, element, nullable);
    }

    public SqlType notNull() {
        return withNullable(false);
    }

    public boolean isNumeric() {
        return kind == Kind.INT || kind == Kind.BIGINT || kind == Kind.FLOAT || kind == Kind.DOUBLE
                || kind == Kind.PRECISE;
    }

    public boolean isIntegral() {
        return kind == Kind.INT || kind == Kind.BIGINT;
    }

    /** Same kind, scale and element, ignoring nullability. */
    public boolean sameAs(SqlType other) {
        return kind == other.kind && scale == other.scale
                && (element == null ? other.element == null : other.element != null && element.sameAs(other.element))
                && (key == null ? other.key == null : other.key != null && key.sameAs(other.key));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SqlType)) {
            return false;
        }
        SqlType t = (SqlType) o;
        return kind == t.kind && scale == t.scale && nullable == t.nullable && Objects.equals(element, t.element)
                && Objects.equals(key, t.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, scale, key, element, nullable);
    }

    /**
     * The type as written in rtsql, without nullability: {@code PRECISE(2)}, {@code LIST<INT>},
     * {@code MAP<STRING, STRING>}.
     */
    public String name() {
        switch (kind) {
            case PRECISE: return "PRECISE(" + scale + ")";
            case LIST: return "LIST<" + element.name() + ">";
            case MAP: return "MAP<" + key.name() + ", " + element.name() + ">";
            default: return kind.name();
        }
    }

    /** The type as written in rtsql: {@code INT NOT NULL}. */
    @Override
    public String toString() {
        return nullable ? name() : name() + " NOT NULL";
    }
}
