package io.sluice.sql.format;

import io.sluice.sql.Column;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Base of the parsers that read a body as UTF-8 text ({@code delimited}, {@code csv},
 * {@code regex}): decodes the body and builds the row's values with one {@link RowBuilder}.
 * Immutable and thread-safe.
 */
abstract class TextParser implements EventParser {
    protected final RowBuilder rows;

    TextParser(List<Column> columns, String nullSequence, String listDelim) {
        this.rows = new RowBuilder(columns, nullSequence, listDelim);
    }

    @Override
    public final Object[] parse(byte[] body) throws ParseException {
        return parseText(new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public abstract Object[] parseText(String text) throws ParseException;
}
