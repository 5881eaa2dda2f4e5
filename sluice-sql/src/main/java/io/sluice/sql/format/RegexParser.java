package io.sluice.sql.format;

import io.sluice.sql.Column;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code regex}: the first match of {@code regex} in the body; group i fills column i (1-based).
 * A body that does not match gives NULL in every column (so it is rejected if any is NOT NULL).
 */
final class RegexParser implements EventParser {
    private final Pattern pattern;
    private final RowBuilder rows;

    RegexParser(List<Column> columns, Pattern pattern, String nullSequence, String listDelim) {
        this.pattern = pattern;
        this.rows = new RowBuilder(columns, nullSequence, listDelim);
    }

    @Override
    public Object[] parse(byte[] body) throws ParseException {
        return parseText(new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public Object[] parseText(String text) throws ParseException {
        Matcher m = pattern.matcher(text);
        Object[] values = new Object[rows.size()];
        if (m.find()) {
            for (int i = 0; i < values.length && i < m.groupCount(); i++) {
                values[i] = rows.parseField(i, m.group(i + 1));
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = null;
            }
            try {
                return rows.finish(values);
            } catch (ParseException e) {
                throw new ParseException("the event does not match the regex " + pattern + "; " + e.getMessage());
            }
        }
        return rows.finish(values);
    }
}
