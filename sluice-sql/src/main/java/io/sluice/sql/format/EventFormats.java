package io.sluice.sql.format;

import io.sluice.sql.Column;
import io.sluice.sql.SqlType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The event formats by name, with their properties checked: {@code delimited}, {@code csv},
 * {@code regex}, {@code json}, {@code avro}. Every format also takes {@code timestamp.col}, the
 * TIMESTAMP (or BIGINT) column that holds the event time. Thread-safe.
 */
public final class EventFormats {
    public static final String TIMESTAMP_COL = "timestamp.col";
    private static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("delimited", Set.of("delimiter", "null.sequence", "list.delim"));
        KEYS.put("csv", Set.of("delimiter", "null.sequence", "list.delim"));
        KEYS.put("regex", Set.of("regex", "null.sequence", "list.delim"));
        KEYS.put("json", Set.of());
        KEYS.put("avro", Set.of("schema"));
    }

    private EventFormats() {
    }

    public static Set<String> names() {
        return KEYS.keySet();
    }

    /**
     * Checks the format and its properties and returns every problem found (empty when fine).
     */
    public static List<String> check(String format, Map<String, String> props, List<Column> columns) {
        List<String> problems = new ArrayList<>();
        Set<String> keys = KEYS.get(format);
        if (keys == null) {
            problems.add("unknown event format '" + format + "' (expected: " + String.join(", ", KEYS.keySet()) + ")");
            return problems;
        }
        for (String k : props.keySet()) {
            if (k.equals(TIMESTAMP_COL) || keys.contains(k) || format.equals("json") && k.startsWith("path.")) {
                continue;
            }
            Set<String> known = new TreeSet<>(keys);
            known.add(TIMESTAMP_COL);
            if (format.equals("json")) {
                known.add("path.<column>");
            }
            problems.add("property '" + k + "' is not known for format '" + format + "' (known: " + String.join(", ", known) + ")");
        }
        String ts = props.get(TIMESTAMP_COL);
        if (ts != null) {
            int i = indexOf(columns, ts);
            if (i < 0) {
                problems.add("timestamp.col '" + ts + "' is not a column of the stream");
            } else {
                SqlType.Kind k = columns.get(i).type().kind();
                if (k != SqlType.Kind.TIMESTAMP && k != SqlType.Kind.BIGINT) {
                    problems.add("timestamp.col '" + ts + "' must be TIMESTAMP or BIGINT, not " + columns.get(i).type().name());
                }
            }
        }
        if ((format.equals("delimited") || format.equals("csv")) && props.containsKey("delimiter")
                && props.get("delimiter").isEmpty()) {
            problems.add("property 'delimiter' must not be empty");
        }
        if (format.equals("csv") && props.containsKey("delimiter") && props.get("delimiter").length() != 1) {
            problems.add("property 'delimiter' of format 'csv' must be one character, not '" + props.get("delimiter") + "'");
        }
        if (props.containsKey("list.delim") && props.get("list.delim").isEmpty()) {
            problems.add("property 'list.delim' must not be empty");
        }
        if (format.equals("regex")) {
            String re = props.get("regex");
            if (re == null) {
                problems.add("format 'regex' needs property 'regex', e.g. PROPERTIES ('regex' = '(\\\\d+) (\\\\w+)')");
            } else {
                try {
                    Pattern.compile(re);
                } catch (PatternSyntaxException e) {
                    problems.add("property 'regex' is not a valid regular expression: " + e.getDescription());
                }
            }
        }
        if (format.equals("json")) {
            for (String k : props.keySet()) {
                if (k.startsWith("path.") && indexOf(columns, k.substring(5)) < 0) {
                    problems.add("property '" + k + "' names no column of the stream");
                }
            }
        }
        if (format.equals("avro")) {
            String s = props.get("schema");
            if (s != null) {
                try {
                    Schema schema = new Schema.Parser().parse(s);
                    if (schema.getType() != Schema.Type.RECORD) {
                        problems.add("property 'schema' must be an Avro record schema, not " + schema.getType());
                    }
                } catch (SchemaParseException e) {
                    problems.add("property 'schema' is not a valid Avro schema: " + e.getMessage());
                }
            }
        }
        return problems;
    }

    public static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The parser of an already {@link #check checked} format. For {@code avro} without a
     * {@code schema}, one derived from the columns ({@link AvroRows#schema}).
     */
    public static EventParser parser(String format, Map<String, String> props, List<Column> columns) {
        String nulls = props.getOrDefault("null.sequence", "\\N");
        String listDelim = props.getOrDefault("list.delim", "|");
        int time = props.containsKey(TIMESTAMP_COL) ? indexOf(columns, props.get(TIMESTAMP_COL)) : -1;
        switch (format) {
            case "delimited":
                return new DelimitedParser(columns, props.getOrDefault("delimiter", ","), nulls, listDelim, time);
            case "csv":
                return new CsvParser(columns, props.getOrDefault("delimiter", ",").charAt(0), nulls, listDelim, time);
            case "regex":
                return new RegexParser(columns, Pattern.compile(props.get("regex")), nulls, listDelim, time);
            case "json": {
                Map<String, String> paths = new LinkedHashMap<>();
                props.forEach((k, v) -> {
                    if (k.startsWith("path.")) {
                        int i = indexOf(columns, k.substring(5));
                        paths.put(columns.get(i).name(), v);
                    }
                });
                return new JsonParser(columns, paths, time);
            }
            case "avro": {
                String s = props.get("schema");
                return new AvroParser(columns, s == null ? AvroRows.schema("row", columns) : new Schema.Parser().parse(s), time);
            }
            default:
                throw new IllegalArgumentException("unknown event format '" + format + "'");
        }
    }
}
