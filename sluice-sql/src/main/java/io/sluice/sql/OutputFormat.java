package io.sluice.sql;

import io.sluice.sql.expr.JsonText;
import io.sluice.sql.expr.ShortestDouble;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * How rows are printed, one line per row (without the line separator).
 *
 * <ul>
 * <li>{@code CSV}: RFC 4180, a header line of column names; NULL is an empty field; TIMESTAMP is
 * milliseconds since the epoch; BOOLEAN {@code true}/{@code false}; DOUBLE and FLOAT in the
 * shortest form that reads back as the same value, laid out like Java's {@code toString}
 * ({@link ShortestDouble}); BINARY in base64; LIST as its elements joined with {@code |}; MAP as
 * its JSON object ({@link JsonText}); the empty
 * string as {@code ""}, so that it differs from NULL.</li>
 * <li>{@code TSV}: like CSV, separated by tabs; tab, newline, carriage return and backslash in a
 * value are written {@code \t}, {@code \n}, {@code \r}, {@code \\}.</li>
 * <li>{@code JSON}: one object per row, no header; NULL is {@code null}; TIMESTAMP a number; LIST an
 * array; MAP an object; BINARY a base64 string; PRECISE a number; NaN and the infinities are the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (JSON has no such numbers).</li>
 * <li>{@code TABLE}: cells separated by {@code |}, padded to the column's width in terminal columns
 * (a wide character counts two, {@link DisplayWidth}); text longer than its column (at most
 * {@value #MAX_TEXT_WIDTH}) is cut and ends with {@code …}, numbers are never cut; line breaks
 * and tabs show as {@code \n}, {@code \t}; TIMESTAMP in ISO-8601 UTC
 * ({@code 2026-11-21 10:00:00.000}); NULL as {@code NULL}.</li>
 * </ul>
 * Thread-safe.
 */
public enum OutputFormat {
    TABLE, CSV, TSV, JSON;

    private static final DateTimeFormatter TABLE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** Parses {@code table|csv|tsv|json}, case-insensitive. */
    public static OutputFormat parse(String name) {
        for (OutputFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + name + "' (expected: table, csv, tsv or json)");
    }

    /** The header line, or null for JSON. */
    public String header(List<Column> cols) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            String name = cols.get(i).name();
            switch (this) {
                case CSV:
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(csv(name));
                    break;
                case TSV:
                    if (i > 0) {
                        sb.append('\t');
                    }
                    sb.append(tsv(name));
                    break;
                case TABLE:
                    if (i > 0) {
                        sb.append(" |");
                    }
                    sb.append(' ').append(DisplayWidth.fit(DisplayWidth.oneLine(name), width(cols.get(i)), false, true));
                    break;
                default:
                    return null;
            }
        }
        return sb.toString();
    }

    /** One row as one line. */
    public String format(List<Column> cols, Row row) {
        StringBuilder sb = new StringBuilder();
        if (this == JSON) {
            sb.append('{');
        }
        for (int i = 0; i < row.size(); i++) {
            Object v = row.value(i);
            SqlType type = i < cols.size() ? cols.get(i).type() : SqlType.STRING;
            String name = i < cols.size() ? cols.get(i).name() : "col" + i;
            switch (this) {
                case CSV:
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(v == null ? "" : csv(text(v, type, false)));
                    break;
                case TSV:
                    if (i > 0) {
                        sb.append('\t');
                    }
                    sb.append(v == null ? "" : tsv(text(v, type, false)));
                    break;
                case TABLE:
                    if (i > 0) {
                        sb.append(" |");
                    }
                    int w = i < cols.size() ? width(cols.get(i)) : 8;
                    String cell = v == null ? "NULL" : DisplayWidth.oneLine(text(v, type, true));
                    sb.append(' ').append(DisplayWidth.fit(cell, w, isRightAligned(type), truncates(type)));
                    break;
                default:
                    if (i > 0) {
                        sb.append(',');
                    }
                    jsonString(sb, name);
                    sb.append(':');
                    json(sb, v);
            }
        }
        if (this == JSON) {
            sb.append('}');
        }
        return sb.toString();
    }

    private static boolean isRightAligned(SqlType t) {
        return t.isNumeric();
    }

    /** The widest a TABLE column of text (STRING, LIST, BINARY) gets; longer values are cut with {@code …}. */
    public static final int MAX_TEXT_WIDTH = 30;

    private static int width(Column c) {
        int min;
        switch (c.type().kind()) {
            case TIMESTAMP: min = 23; break;
            case BOOLEAN: min = 5; break;
            case INT: min = 6; break;
            case STRING: case LIST: case MAP: case BINARY: min = 12; break;
            default: min = 8;
        }
        return Math.max(min, Math.min(MAX_TEXT_WIDTH, DisplayWidth.of(c.name())));
    }

    private static boolean truncates(SqlType t) {
        return t.kind() == SqlType.Kind.STRING || t.kind() == SqlType.Kind.LIST || t.kind() == SqlType.Kind.MAP
                || t.kind() == SqlType.Kind.BINARY;
    }



    /** The text form of a non-null value. */
    static String text(Object v, SqlType type, boolean table) {
        if (v instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) v);
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof Long && type.kind() == SqlType.Kind.TIMESTAMP && table) {
            return TABLE_TIME.format(Instant.ofEpochMilli((Long) v));
        }
        if (v instanceof Double d) {
            return ShortestDouble.of(d);
        }
        if (v instanceof Float f) {
            return ShortestDouble.of(f);
        }
        if (v instanceof Map) {
            return JsonText.of(v);
        }
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder();
            SqlType el = type.elementType() == null ? SqlType.STRING : type.elementType();
            for (Object o : (List<?>) v) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(o == null ? (table ? "NULL" : "") : text(o, el, table));
            }
            return table ? "[" + sb + "]" : sb.toString();
        }
        return String.valueOf(v);
    }

    private static String csv(String s) {
        if (s.isEmpty()) {
            return "\"\""; // an empty string, not NULL (which is an empty field)
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }

    private static String tsv(String s) {
        return DisplayWidth.replaceChars(s, c -> c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                : c == '\\' ? "\\\\" : null);
    }

    private static void json(StringBuilder sb, Object v) {
        JsonText.append(sb, v);
    }

    private static void jsonString(StringBuilder sb, String s) {
        JsonText.appendString(sb, s);
    }
}
