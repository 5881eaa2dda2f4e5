package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Parses the body (UTF-8) as one CSV record (RFC 4180: fields separated by {@code delimiter},
 * a field in double quotes may hold the delimiter, line breaks and {@code ""} for a quote) and
 * copies named columns into headers. {@code columns} names the columns in order ({@code -} skips
 * one); by default each named column becomes a header of the same name, or
 * {@code headers.<header> = <column>} chooses which columns go to which headers. A trailing
 * {@code \r\n} or {@code \n} is ignored. A record with another number of fields than
 * {@code columns}, or a broken quote, is handled by {@code onError}. Immutable and thread-safe.
 */
public final class CsvInterceptor extends BodyParsingInterceptor {
    private final char delimiter;
    private final List<String> columns;
    /** Header name to column index. */
    private final Map<String, Integer> headers;

    CsvInterceptor(String label, OnError onError, char delimiter, List<String> columns, Map<String, Integer> headers) {
        super(label, onError);
        this.delimiter = delimiter;
        this.columns = List.copyOf(columns);
        this.headers = new LinkedHashMap<>(requireNonNull(headers, "headers is null"));
    }

    @Override
    protected Map<String, String> parse(Event event) throws ParseException {
        List<String> fields = split(event.bodyAsString(), delimiter);
        if (fields.size() != columns.size()) {
            throw new ParseException("record has " + fields.size() + " field(s), expected " + columns.size()
                    + " (columns = " + String.join(" ", columns) + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((h, i) -> out.put(h, fields.get(i)));
        return out;
    }

    /** Splits one RFC 4180 record. */
    static List<String> split(String text, char delimiter) throws ParseException {
        String s = text;
        if (s.endsWith("\r\n")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        int n = s.length();
        while (true) {
            f.setLength(0);
            if (i < n && s.charAt(i) == '"') {
                int start = i;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new ParseException("quoted field starting at character " + (start + 1)
                                + " has no closing quote");
                    }
                    char c = s.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && s.charAt(i + 1) == '"') {
                            f.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    f.append(c);
                    i++;
                }
                if (i < n && s.charAt(i) != delimiter) {
                    throw new ParseException("unexpected character '" + s.charAt(i) + "' after the closing quote at"
                            + " character " + i + " (a quote inside a quoted field is written \"\")");
                }
            } else {
                while (i < n && s.charAt(i) != delimiter) {
                    char c = s.charAt(i);
                    if (c == '"') {
                        throw new ParseException("quote inside an unquoted field at character " + (i + 1)
                                + " (quote the whole field and write the quote as \"\")");
                    }
                    f.append(c);
                    i++;
                }
            }
            fields.add(f.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the delimiter
        }
    }

    /**
     * {@code csv}. Keys: {@code columns} (required), {@code delimiter} ({@code ,}; {@code \t} for a
     * tab), {@code headers.<header> = <column>} (optional) and {@code onError} ({@code pass}).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<List<String>> COLUMNS = ConfigKey.listKey("columns", null,
                "Names of the record's columns, in order; - skips a column.").required();
        public static final ConfigKey<String> DELIMITER = ConfigKey.stringKey("delimiter", ",",
                "The one character between fields; \\t for a tab.");
        public static final ConfigKey<String> HEADERS = ConfigKey.stringKey("headers.", null,
                "headers.<header> = <column>: which column goes into which header; without any, every named column"
                        + " becomes a header of its name.");

        private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.INTERCEPTOR,
                        "csv")
                .keys(COLUMNS, DELIMITER, HEADERS, ON_ERROR)
                .description("Parses the body as a CSV record (RFC 4180) and copies named columns into headers.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public CsvInterceptor create(ComponentContext context) {
            OnError onError = onError(context);
            List<String> columns = context.get(COLUMNS);
            String d = context.get(DELIMITER);
            Character delimiter = null;
            if ("\\t".equals(d) || "\t".equals(d)) {
                delimiter = '\t';
            } else if (d.length() == 1 && d.charAt(0) != '"' && d.charAt(0) != '\n' && d.charAt(0) != '\r') {
                delimiter = d.charAt(0);
            } else {
                context.problem(DELIMITER.name(), d, "must be one character other than a quote or a line break",
                        "use e.g. , or ; or | or \\t");
            }
            Map<String, String> raw = context.subProperties(HEADERS.name());
            if (columns == null || delimiter == null) {
                return null;
            }
            Map<String, Integer> headers = new LinkedHashMap<>();
            boolean ok = true;
            if (raw.isEmpty()) {
                for (int i = 0; i < columns.size(); i++) {
                    if (!columns.get(i).equals("-")) {
                        headers.put(columns.get(i), i);
                    }
                }
            } else {
                for (Map.Entry<String, String> e : raw.entrySet()) {
                    int i = columns.indexOf(e.getValue().trim());
                    if (i < 0 || e.getValue().trim().equals("-")) {
                        context.problem(HEADERS.name() + e.getKey(), e.getValue(), "is not one of the columns "
                                + columns, "name one of the columns listed in columns");
                        ok = false;
                    } else {
                        headers.put(e.getKey(), i);
                    }
                }
            }
            return ok ? new CsvInterceptor(context.label(), onError, delimiter, columns, headers) : null;
        }
    }
}
