package io.sluice.sql.format;

import io.sluice.sql.Column;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code regex}: the first match of {@code regex} in the body; group i fills column i (1-based).
 * A body that does not match is rejected (counted and kept with the reason), never a row of NULLs.
 */
final class RegexParser extends TextParser {
    private final Pattern pattern;

    RegexParser(List<Column> columns, Pattern pattern, String nullSequence, String listDelim,
            int timeColumn) {
        super(columns, nullSequence, listDelim, timeColumn);
        this.pattern = pattern;
    }

    @Override
    public Object[] parseText(String text) throws ParseException {
        Matcher m = pattern.matcher(text);
        Object[] values = new Object[rows.size()];
        if (!m.find()) {
            throw RowBuilder.notARecord("the event does not match the regex " + pattern);
        }
        for (int i = 0; i < values.length && i < m.groupCount(); i++) {
            values[i] = rows.parseField(i, m.group(i + 1));
        }
        return rows.finish(values);
    }
}
