package io.sluice.sql.format;

import io.sluice.sql.Column;

import java.util.List;

/**
 * {@code delimited}: fields separated by {@code delimiter} (default {@code ,}, taken literally);
 * {@code null.sequence} (default {@code \N}) is NULL; list elements are separated by
 * {@code list.delim} (default {@code |}). Missing trailing fields are NULL; extra ones are ignored.
 */
final class DelimitedParser extends TextParser {
    private final String delimiter;

    DelimitedParser(List<Column> columns, String delimiter, String nullSequence, String listDelim,
            int timeColumn) {
        super(columns, nullSequence, listDelim, timeColumn);
        this.delimiter = delimiter;
    }

    @Override
    public Object[] parseText(String s) throws ParseException {
        int n = rows.size();
        Object[] values = new Object[n];
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (from > s.length()) {
                break;
            }
            int at = delimiter.length() == 1 ? s.indexOf(delimiter.charAt(0), from) : s.indexOf(delimiter, from);
            String field = at < 0 ? s.substring(from) : s.substring(from, at);
            values[i] = rows.parseField(i, field);
            from = at < 0 ? s.length() + 1 : at + delimiter.length();
        }
        return rows.finish(values);
    }
}
