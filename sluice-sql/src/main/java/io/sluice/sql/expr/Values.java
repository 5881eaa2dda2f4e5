package io.sluice.sql.expr;

import io.sluice.sql.SqlType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Conversions, comparisons and hashing of rtsql values (the Java classes listed in
 * {@link SqlType}). Stateless and thread-safe.
 */
public final class Values {
    /** Returned by {@link #parse} when text does not parse as the type. */
    public static final Object FAILED = new Object() {
        @Override
        public String toString() {
            return "<unparseable>";
        }
    };

    private Values() {
    }

    /** The text form of a value in string contexts (concatenation, CAST to STRING). */
    public static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                Object o = l.get(i);
                sb.append(o == null ? "NULL" : text(o));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?>) {
            return JsonText.of(v);
        }
        if (v instanceof Double d) {
            return ShortestDouble.of(d);
        }
        if (v instanceof Float f) {
            return ShortestDouble.of(f);
        }
        return v.toString();
    }

    /** Converts {@code v} of type {@code from} to {@code to}; null when it cannot be converted. */
    public static Object cast(Object v, SqlType from, SqlType to) {
        if (v == null) {
            return null;
        }
        try {
            switch (to.kind()) {
                case STRING:
                    return text(v);
                case BOOLEAN:
                    if (v instanceof Boolean) {
                        return v;
                    }
                    if (v instanceof String s) {
                        return parseBoolean(s.trim());
                    }
                    if (v instanceof Number n) {
                        return n.doubleValue() != 0;
                    }
                    return null;
                case INT: {
                    Long l = toLongExact(v);
                    return l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : (Object) l.intValue();
                }
                case BIGINT:
                case TIMESTAMP:
                    if (to.kind() == SqlType.Kind.TIMESTAMP && v instanceof String s) {
                        return parseTimestamp(s.trim());
                    }
                    return toLongExact(v);
                case FLOAT: {
                    Double d = toDouble(v);
                    if (d == null || Double.isFinite(d) && Float.isInfinite(d.floatValue())) {
                        return null; // too large for FLOAT: not Infinity
                    }
                    return d.floatValue();
                }
                case DOUBLE:
                    return toDouble(v);
                case PRECISE: {
                    BigDecimal d = toDecimal(v);
                    return d == null ? null : d.setScale(to.scale(), RoundingMode.HALF_UP);
                }
                case BINARY:
                    if (v instanceof byte[]) {
                        return v;
                    }
                    return text(v).getBytes(StandardCharsets.UTF_8);
                case LIST:
                    if (v instanceof List<?> l) {
                        SqlType fromEl = from.elementType() == null ? SqlType.STRING : from.elementType();
                        List<Object> out = new ArrayList<>(l.size());
                        for (Object o : l) {
                            out.add(cast(o, fromEl, to.elementType()));
                        }
                        return Collections.unmodifiableList(out);
                    }
                    return null;
                case MAP:
                    if (v instanceof Map<?, ?> m) {
                        return MapValues.of(m, to);
                    }
                    if (v instanceof String s) {
                        Object p = MapValues.parse(s, to);
                        return p == FAILED ? null : p;
                    }
                    return null;
                default:
                    return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (s.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        return null;
    }

    private static Long toLongExact(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) {
                return null;
            }
            return (long) d;
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.setScale(0, RoundingMode.DOWN).longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Double toDouble(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof String s) {
            return parseDouble(s.trim());
        }
        return null;
    }

    private static final Pattern SQL_NUMBER =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    /**
     * A DOUBLE from text: a SQL numeric literal ({@code 12}, {@code -1.5}, {@code .5}, {@code 1e-3})
     * or {@code NaN}, {@code Infinity}, {@code -Infinity} (as DOUBLE is printed); null otherwise. Java's
     * extras ({@code 1d}, {@code 0x1p3}, {@code 1f}) are not numbers in rtsql.
     */
    public static Double parseDouble(String s) {
        switch (s) {
            case "NaN": return Double.NaN;
            case "Infinity": case "+Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default: break;
        }
        if (!SQL_NUMBER.matcher(s).matches()) {
            return null;
        }
        return Double.parseDouble(s);
    }

    private static BigDecimal toDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Integer || v instanceof Long) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (v instanceof String s) {
            String t = s.trim();
            return SQL_NUMBER.matcher(t).matches() ? new BigDecimal(t) : null;
        }
        return null;
    }

    /**
     * A TIMESTAMP from text: milliseconds since the epoch, an ISO-8601 instant
     * ({@code 2026-11-21T10:00:00Z}), or a local date-time or date read as UTC
     * ({@code 2026-11-21 10:00:00.000}, {@code 2026-11-21}). Null if none of these.
     */
    public static Long parseTimestamp(String s) {
        if (s.isEmpty()) {
            return null;
        }
        char c0 = s.charAt(0);
        if (Character.isDigit(c0) && s.indexOf('-') < 0 || c0 == '-') {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String t = s.replace(' ', 'T');
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (RuntimeException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (RuntimeException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (RuntimeException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses a text field of an event as {@code type}; {@link #FAILED} when it does not parse.
     * Lists are split at {@code listDelim}.
     */
    public static Object parse(String s, SqlType type, String listDelim) {
        if (s == null) {
            return null;
        }
        switch (type.kind()) {
            case STRING:
                return s;
            case BINARY:
                return s.getBytes(StandardCharsets.UTF_8);
            case LIST: {
                if (s.isEmpty()) {
                    return List.of();
                }
                List<Object> out = new ArrayList<>();
                int from = 0;
                while (true) {
                    int at = s.indexOf(listDelim, from);
                    String part = at < 0 ? s.substring(from) : s.substring(from, at);
                    Object o = parse(part, type.elementType(), listDelim);
                    out.add(o == FAILED ? null : o);
                    if (at < 0) {
                        break;
                    }
                    from = at + listDelim.length();
                }
                return Collections.unmodifiableList(out);
            }
            case MAP:
                return MapValues.parse(s, type);
            case INT:
                try {
                    return Integer.parseInt(s.trim());
                } catch (NumberFormatException e) {
                    return FAILED;
                }
            case BIGINT:
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    return FAILED;
                }
            default:
                if (s.isBlank()) {
                    return FAILED;
                }
                Object v = cast(s, SqlType.STRING, type);
                return v == null ? FAILED : v;
        }
    }

    /** Converts a Java value to {@code type}'s class (for values pushed from Java code). */
    public static Object coerce(Object v, SqlType type) {
        if (v == null) {
            return null;
        }
        switch (type.kind()) {
            case INT: if (v instanceof Integer) { return v; } break;
            case BIGINT: case TIMESTAMP:
                if (v instanceof Long) {
                    return v;
                }
                if (v instanceof Instant i) {
                    return i.toEpochMilli();
                }
                break;
            case DOUBLE: if (v instanceof Double) { return v; } break;
            case FLOAT: if (v instanceof Float) { return v; } break;
            case STRING: if (v instanceof String) { return v; } break;
            case BOOLEAN: if (v instanceof Boolean) { return v; } break;
            case BINARY: if (v instanceof byte[]) { return v; } break;
            case PRECISE:
                if (v instanceof BigDecimal d && d.scale() == type.scale()) {
                    return v;
                }
                break;
            default:
                break;
        }
        if (v instanceof Map<?, ?> m && type.kind() == SqlType.Kind.MAP) {
            return MapValues.of(m, type);
        }
        SqlType from = v instanceof String ? SqlType.STRING : v instanceof List ? SqlType.list(SqlType.STRING) : SqlType.DOUBLE;
        return cast(v, from, type);
    }

    /**
     * SQL equality of two values: numbers of different classes compare as numbers, {@code -0.0}
     * equals {@code 0.0}, NaN equals NaN (so grouping, DISTINCT and join keys put all NaNs in one
     * group), BINARY compares by content and PRECISE ignores trailing zeros.
     */
    public static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Double || a instanceof Float) {
            return b instanceof Number && compare(a, b) == 0;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a.getClass() != b.getClass() && a instanceof Number && b instanceof Number) {
            return compare(a, b) == 0;
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(b);
    }

    /** A hash consistent with {@link #equal} for values of one type. */
    public static int hash(Object a) {
        if (a == null) {
            return 0;
        }
        if (a instanceof Double || a instanceof Float) {
            return canonical(a).hashCode();
        }
        if (a instanceof byte[] b) {
            return Arrays.hashCode(b);
        }
        if (a instanceof BigDecimal d) {
            return d.stripTrailingZeros().hashCode();
        }
        return a.hashCode();
    }

    /**
     * {@code v} as a key of a {@code java.util} hash collection, so that values {@link #equal} here
     * are equal there: BINARY wrapped by content, PRECISE without trailing zeros, {@code -0.0} as
     * {@code 0.0}.
     */
    public static Object hashKey(Object v) {
        if (v instanceof Double || v instanceof Float) {
            return canonical(v);
        }
        if (v instanceof byte[] b) {
            return ByteBuffer.wrap(b);
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        return v;
    }

    /** {@code -0.0} as {@code 0.0} (the one pair of floating-point values SQL calls equal that Java does not). */
    private static Object canonical(Object v) {
        if (v instanceof Double d && d == 0.0) {
            return 0.0;
        }
        if (v instanceof Float f && f == 0.0f) {
            return 0.0f;
        }
        return v;
    }

    /**
     * Orders two non-null values of one type (numbers of different classes are compared as
     * numbers). {@code -0.0} and {@code 0.0} are equal; NaN is greater than every other number and
     * equal to itself. Strings are ordered by code point.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b) {
        if ((a instanceof Double || a instanceof Float) && b instanceof Number y
                || a instanceof Number && (b instanceof Double || b instanceof Float)) {
            if (!(a instanceof BigDecimal) && !(b instanceof BigDecimal)) {
                double dx = ((Number) a).doubleValue();
                double dy = ((Number) b).doubleValue();
                return dx == dy ? 0 : Double.compare(dx, dy);
            }
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        if (a instanceof Number x && b instanceof Number y) {
            if ((x instanceof Integer || x instanceof Long) && (y instanceof Integer || y instanceof Long)) {
                return Long.compare(x.longValue(), y.longValue());
            }
            if (x instanceof BigDecimal || y instanceof BigDecimal) {
                BigDecimal dx = toDecimal(x);
                BigDecimal dy = toDecimal(y);
                if (dx != null && dy != null) {
                    return dx.compareTo(dy);
                }
            }
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                int c = compareNullsFirst(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        return compareCodePoints(text(a), text(b));
    }

    /**
     * Orders strings by code point (as UTF-8 bytes order), not by UTF-16 unit: a character outside
     * the Basic Multilingual Plane sorts after U+FFFF.
     */
    public static int compareCodePoints(String x, String y) {
        int n = Math.min(x.length(), y.length());
        for (int i = 0; i < n; i++) {
            char a = x.charAt(i);
            char b = y.charAt(i);
            if (a != b) {
                // Only when a surrogate meets a character at or above U+E000 do UTF-16 unit order
                // and code point order differ: the surrogate belongs to the larger code point.
                boolean sa = Character.isSurrogate(a);
                boolean sb = Character.isSurrogate(b);
                if (sa != sb) {
                    return sa ? 1 : -1;
                }
                return a - b;
            }
        }
        return x.length() - y.length();
    }

    public static int compareNullsFirst(Object a, Object b) {
        if (a == null) {
            return b == null ? 0 : -1;
        }
        return b == null ? 1 : compare(a, b);
    }

    /** The value class a type's values have, for messages. */
    public static String javaClass(SqlType t) {
        return t.kind().name().toLowerCase(Locale.ROOT);
    }
}
