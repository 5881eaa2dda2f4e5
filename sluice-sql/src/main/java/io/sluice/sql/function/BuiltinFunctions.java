package io.sluice.sql.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sql.SqlType;
import io.sluice.sql.SqlType.Kind;
import io.sluice.sql.expr.Types;
import io.sluice.sql.expr.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in scalar functions of rtsql (FlumeBase's plus the added ones). Functions that need the
 * row's context (EVENT_TIMESTAMP, CURRENT_TIMESTAMP, HOST, PRIORITY, PRIORITY_LEVEL, WINDOW_START,
 * WINDOW_END) are compiled by the analyzer and only listed here for SHOW FUNCTIONS. Thread-safe.
 */
public final class BuiltinFunctions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

    /** Functions the analyzer compiles itself: name to signature. */
    public static final Map<String, String> CONTEXT_FUNCTIONS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("current_timestamp", "CURRENT_TIMESTAMP() -> TIMESTAMP");
        m.put("event_timestamp", "EVENT_TIMESTAMP() -> TIMESTAMP");
        m.put("host", "HOST() -> STRING (the 'host' header)");
        m.put("priority", "PRIORITY() -> STRING (the 'priority' header)");
        m.put("priority_level", "PRIORITY_LEVEL() -> INT (0 FATAL .. 5 TRACE, from the 'priority' header)");
        m.put("window_start", "WINDOW_START() -> TIMESTAMP");
        m.put("window_end", "WINDOW_END() -> TIMESTAMP");
        CONTEXT_FUNCTIONS = Collections.unmodifiableMap(m);
    }

    private BuiltinFunctions() {
    }

    public static List<ScalarFunction> all() {
        List<ScalarFunction> f = new ArrayList<>();
        f.add(strict("bin2str", "BIN2STR(BINARY) -> STRING", a -> one(a, Kind.BINARY) ? SqlType.STRING : null,
                v -> new String((byte[]) v[0], StandardCharsets.UTF_8)));
        f.add(strict("str2bin", "STR2BIN(STRING) -> BINARY", a -> one(a, Kind.STRING) ? SqlType.BINARY : null,
                v -> ((String) v[0]).getBytes(StandardCharsets.UTF_8)));
        f.add(strict("length", "LENGTH(STRING | BINARY) -> INT", a -> a.size() == 1 ? SqlType.INT : null,
                v -> v[0] instanceof byte[] b ? b.length : codePoints(Values.text(v[0]))));
        f.add(strict("square", "SQUARE(number) -> the same type",
                a -> a.size() == 1 && a.get(0).isNumeric() ? a.get(0) : null, v -> multiply(v[0], v[0])));
        f.add(new SimpleFunction("concat", "CONCAT(x, y, ...) -> STRING, or LIST when every argument is a LIST",
                BuiltinFunctions::concatType, null, BuiltinFunctions::concat, true, true));
        f.add(strict("contains", "CONTAINS(LIST<t>, t) or CONTAINS(STRING, STRING) -> BOOLEAN",
                a -> a.size() == 2 ? SqlType.BOOLEAN : null, v -> v[0] instanceof List<?> l
                        ? l.stream().anyMatch(o -> Values.equal(o, v[1]))
                        : Values.text(v[0]).contains(Values.text(v[1]))));
        f.add(strict("index", "INDEX(LIST<t>, INT) -> t (0-based; NULL out of range)",
                a -> a.size() == 2 && a.get(0).kind() == Kind.LIST && a.get(1).isIntegral()
                        ? a.get(0).elementType().withNullable(true) : null,
                v -> {
                    List<?> l = (List<?>) v[0];
                    long i = ((Number) v[1]).longValue();
                    return i < 0 || i >= l.size() ? null : l.get((int) i);
                }));
        f.add(strict("size", "SIZE(LIST | MAP) -> INT: items or entries",
                a -> one(a, Kind.LIST) || one(a, Kind.MAP) ? SqlType.INT : null,
                v -> v[0] instanceof Map<?, ?> m ? m.size() : ((List<?>) v[0]).size()));
        f.add(strict("map_keys", "MAP_KEYS(MAP<k, v>) -> LIST<k> in ascending order",
                a -> a.size() == 1 && a.get(0).kind() == Kind.MAP ? SqlType.list(a.get(0).keyType()) : null,
                v -> List.copyOf(((Map<?, ?>) v[0]).keySet())));
        f.add(new SimpleFunction("to_list", "TO_LIST(x, ...) -> LIST<common type of x, ...>",
                a -> {
                    SqlType el = commonOf(a);
                    return el == null ? null : SqlType.list(el.kind() == Kind.NULL ? SqlType.STRING : el).notNull();
                },
                a -> {
                    SqlType el = commonOf(a);
                    List<SqlType> out = new ArrayList<>();
                    for (int i = 0; i < a.size(); i++) {
                        out.add(el.kind() == Kind.NULL ? SqlType.STRING : el);
                    }
                    return out;
                },
                v -> Collections.unmodifiableList(new ArrayList<>(Arrays.asList(v))), false, true));
        f.add(strict("upper", "UPPER(STRING) -> STRING", a -> a.size() == 1 ? SqlType.STRING : null,
                v -> Values.text(v[0]).toUpperCase(Locale.ROOT)));
        f.add(strict("lower", "LOWER(STRING) -> STRING", a -> a.size() == 1 ? SqlType.STRING : null,
                v -> Values.text(v[0]).toLowerCase(Locale.ROOT)));
        f.add(strict("trim", "TRIM(STRING) -> STRING (removes leading and trailing spaces, U+0020 only)",
                a -> a.size() == 1 ? SqlType.STRING : null, v -> trimSpaces(Values.text(v[0]))));
        f.add(strict("substr", "SUBSTR(STRING, start INT [, length INT]) -> STRING (1-based; negative start counts from the end)",
                a -> (a.size() == 2 || a.size() == 3) && a.get(1).isIntegral()
                        && (a.size() == 2 || a.get(2).isIntegral()) ? SqlType.STRING : null,
                BuiltinFunctions::substr));
        f.add(strict("replace", "REPLACE(STRING, from STRING, to STRING) -> STRING",
                a -> a.size() == 3 ? SqlType.STRING : null,
                v -> Values.text(v[0]).replace(Values.text(v[1]), Values.text(v[2]))));
        f.add(new SimpleFunction("regexp_extract",
                "REGEXP_EXTRACT(STRING, regex STRING [, group INT]) -> STRING (group 1 if the regex has groups, else the whole match)",
                a -> (a.size() == 2 || a.size() == 3 && a.get(2).isIntegral()) ? SqlType.STRING.withNullable(true) : null,
                null, BuiltinFunctions::regexpExtract, true, true));
        f.add(new SimpleFunction("coalesce", "COALESCE(x, ...) -> the common type; the first non-NULL argument",
                a -> {
                    SqlType t = commonOf(a);
                    return t == null ? null : t.withNullable(a.stream().allMatch(SqlType::nullable));
                },
                a -> {
                    SqlType t = commonOf(a);
                    List<SqlType> out = new ArrayList<>();
                    for (int i = 0; i < a.size(); i++) {
                        out.add(t);
                    }
                    return out;
                },
                v -> {
                    for (Object o : v) {
                        if (o != null) {
                            return o;
                        }
                    }
                    return null;
                }, false, true));
        f.add(strict("abs", "ABS(number) -> the same type", a -> a.size() == 1 && a.get(0).isNumeric() ? a.get(0) : null,
                v -> abs(v[0])));
        f.add(strict("round", "ROUND(number [, digits INT]) -> the same type (half up)",
                a -> (a.size() == 1 || a.size() == 2 && a.get(1).isIntegral()) && a.get(0).isNumeric() ? a.get(0) : null,
                v -> round(v[0], v.length > 1 ? ((Number) v[1]).intValue() : 0, RoundingMode.HALF_UP)));
        f.add(strict("floor", "FLOOR(number) -> the same type", a -> a.size() == 1 && a.get(0).isNumeric() ? a.get(0) : null,
                v -> round(v[0], 0, RoundingMode.FLOOR)));
        f.add(strict("ceil", "CEIL(number) -> the same type", a -> a.size() == 1 && a.get(0).isNumeric() ? a.get(0) : null,
                v -> round(v[0], 0, RoundingMode.CEILING)));
        f.add(strict("to_timestamp", "TO_TIMESTAMP(STRING [, pattern STRING]) -> TIMESTAMP (UTC; NULL if it does not parse)",
                a -> (a.size() == 1 || a.size() == 2) ? SqlType.TIMESTAMP.withNullable(true) : null,
                v -> v.length == 1 ? Values.parseTimestamp(Values.text(v[0]).trim())
                        : toTimestamp(Values.text(v[0]), Values.text(v[1]))));
        f.add(strict("format_timestamp", "FORMAT_TIMESTAMP(TIMESTAMP, pattern STRING) -> STRING (UTC)",
                a -> a.size() == 2 && (a.get(0).kind() == Kind.TIMESTAMP || a.get(0).isIntegral()) ? SqlType.STRING : null,
                v -> formatter(Values.text(v[1])).format(Instant.ofEpochMilli(((Number) v[0]).longValue()))));
        f.add(strict("json_value", "JSON_VALUE(STRING, pointer STRING) -> STRING (e.g. '/a/b'; NULL if absent)",
                a -> a.size() == 2 ? SqlType.STRING.withNullable(true) : null,
                v -> jsonValue(Values.text(v[0]), Values.text(v[1]))));
        return f;
    }

    private static SimpleFunction strict(String name, String sig, Function<List<SqlType>, SqlType> typer,
            Function<Object[], Object> impl) {
        return new SimpleFunction(name, sig, typer, null, impl, true, true);
    }

    private static boolean one(List<SqlType> a, Kind k) {
        return a.size() == 1 && (a.get(0).kind() == k || a.get(0).kind() == Kind.NULL);
    }

    private static SqlType commonOf(List<SqlType> a) {
        if (a.isEmpty()) {
            return null;
        }
        SqlType t = a.get(0);
        for (int i = 1; i < a.size() && t != null; i++) {
            t = Types.common(t, a.get(i));
        }
        return t;
    }

    private static SqlType concatType(List<SqlType> a) {
        if (a.isEmpty()) {
            return null;
        }
        if (a.stream().allMatch(t -> t.kind() == Kind.LIST)) {
            return commonOf(a);
        }
        return SqlType.STRING;
    }

    private static Object concat(Object[] v) {
        if (v[0] instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : v) {
                out.addAll((List<?>) o);
            }
            return Collections.unmodifiableList(out);
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : v) {
            sb.append(Values.text(o));
        }
        return sb.toString();
    }

    /** The number of code points of {@code s} (a character outside the BMP counts once). */
    static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    /** SQL's TRIM: spaces only, not tabs or line breaks (Java's trim() removes every control character). */
    static String trimSpaces(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == ' ') {
            to--;
        }
        return s.substring(from, to);
    }

    /** SUBSTR counting code points, so a surrogate pair is never split. */
    private static Object substr(Object[] v) {
        String s = Values.text(v[0]);
        int n = codePoints(s);
        long start = ((Number) v[1]).longValue();
        long from = start > 0 ? Math.min(start - 1, n) : start < 0 ? Math.max(0, n + start) : 0;
        long to = n;
        if (v.length > 2) {
            long len = ((Number) v[2]).longValue();
            if (len < 0) {
                return null;
            }
            to = Math.min(n, from + len);
        }
        to = Math.max(from, to);
        int a = s.offsetByCodePoints(0, (int) from);
        int b = s.offsetByCodePoints(a, (int) (to - from));
        return s.substring(a, b);
    }

    private static Object regexpExtract(Object[] v) {
        Pattern p = PATTERNS.computeIfAbsent(Values.text(v[1]), Pattern::compile);
        Matcher m = p.matcher(Values.text(v[0]));
        if (!m.find()) {
            return null;
        }
        int group = v.length > 2 ? ((Number) v[2]).intValue() : (m.groupCount() > 0 ? 1 : 0);
        return group < 0 || group > m.groupCount() ? null : m.group(group);
    }

    private static Object multiply(Object a, Object b) {
        if (a instanceof Integer x) {
            return Math.multiplyExact(x, (Integer) b);
        }
        if (a instanceof Long x) {
            return Math.multiplyExact(x, (Long) b);
        }
        if (a instanceof Float x) {
            return x * (Float) b;
        }
        if (a instanceof Double x) {
            return x * (Double) b;
        }
        BigDecimal d = (BigDecimal) a;
        return d.multiply((BigDecimal) b).setScale(d.scale(), RoundingMode.HALF_UP);
    }

    private static Object abs(Object a) {
        if (a instanceof Integer x) {
            return Math.absExact(x);
        }
        if (a instanceof Long x) {
            return Math.absExact(x);
        }
        if (a instanceof Float x) {
            return Math.abs(x);
        }
        if (a instanceof Double x) {
            return Math.abs(x);
        }
        return ((BigDecimal) a).abs();
    }

    private static Object round(Object a, int digits, RoundingMode mode) {
        if (a instanceof Integer || a instanceof Long) {
            if (digits >= 0) {
                return a;
            }
            long r = BigDecimal.valueOf(((Number) a).longValue()).setScale(digits, mode).longValueExact();
            return a instanceof Integer ? (Object) Math.toIntExact(r) : (Object) r;
        }
        if (a instanceof BigDecimal d) {
            return d.setScale(digits, mode).setScale(d.scale(), mode);
        }
        double x = ((Number) a).doubleValue();
        if (!Double.isFinite(x)) {
            return a;
        }
        double r = new BigDecimal(Double.toString(x)).setScale(digits, mode).doubleValue();
        return a instanceof Float ? (Object) (float) r : (Object) r;
    }

    private static DateTimeFormatter formatter(String pattern) {
        return FORMATTERS.computeIfAbsent(pattern,
                p -> DateTimeFormatter.ofPattern(p, Locale.ROOT).withZone(ZoneOffset.UTC));
    }

    private static Object toTimestamp(String s, String pattern) {
        TemporalAccessor t = formatter(pattern).parse(s.trim());
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(t).toEpochMilli();
        }
        if (t.isSupported(ChronoField.HOUR_OF_DAY)) {
            return LocalDateTime.from(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return LocalDate.from(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static Object jsonValue(String json, String pointer) {
        try {
            JsonNode n = JSON.readTree(json).at(pointer.isEmpty() || pointer.startsWith("/") ? pointer : "/" + pointer);
            if (n.isMissingNode() || n.isNull()) {
                return null;
            }
            return n.isValueNode() ? n.asText() : n.toString();
        } catch (IOException e) {
            return null;
        }
    }
}
