package io.sluice.sql.format;

import io.sluice.sql.Column;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code csv}: RFC 4180. Fields may be quoted with {@code "}; a quoted field may hold the
 * delimiter, line breaks and {@code ""} for a quote. Outside RFC 4180, nothing is dropped: a quote
 * inside an unquoted field is an ordinary character and text after a closing quote is kept
 * ({@code "ab"c} is {@code abc}), as Python's csv module reads them. An empty unquoted field is NULL for non-string
 * columns and the empty string for STRING; {@code null.sequence} (default {@code \N}) is NULL.
 */
final class CsvParser extends TextParser {
    private final char delimiter;

    CsvParser(List<Column> columns, char delimiter, String nullSequence, String listDelim,
            int timeColumn) {
        super(columns, nullSequence, listDelim, timeColumn);
        this.delimiter = delimiter;
    }

    /** Splits one record into its fields. */
    static List<String> fields(String s, char delimiter) throws ParseException {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        int n = s.length();
        while (true) {
            f.setLength(0);
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new ParseException("a quoted CSV field is not closed; add the missing \"");
                    }
                    char c = s.charAt(i++);
                    if (c == '"') {
                        if (i < n && s.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(c);
                    }
                }
                while (i < n && s.charAt(i) != delimiter) {
                    f.append(s.charAt(i++)); // text after the closing quote is kept, not lost ("ab"c is abc)
                }
            } else {
                while (i < n && s.charAt(i) != delimiter) {
                    f.append(s.charAt(i++));
                }
            }
            out.add(f.toString());
            if (i >= n) {
                return out;
            }
            i++; // the delimiter
        }
    }

    @Override
    public Object[] parseText(String s) throws ParseException {
        if (s.endsWith("\r\n")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        List<String> f = fields(s, delimiter);
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length && i < f.size(); i++) {
            values[i] = rows.parseField(i, f.get(i));
        }
        return rows.finish(values);
    }
}
