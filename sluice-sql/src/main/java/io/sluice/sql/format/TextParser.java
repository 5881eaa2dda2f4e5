package io.sluice.sql.format;

import io.sluice.sql.Column;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Base of the parsers that read a body as UTF-8 text ({@code delimited}, {@code csv},
 * {@code regex}): decodes the body and builds the row's values with one {@link RowBuilder}.
 * Immutable and thread-safe.
 */
abstract class TextParser implements EventParser {
    protected final RowBuilder rows;

    TextParser(List<Column> columns, String nullSequence, String listDelim, int timeColumn) {
        this.rows = new RowBuilder(columns, nullSequence, listDelim, timeColumn);
    }

    /** Decodes the body as strict UTF-8: invalid bytes reject the event instead of becoming U+FFFD. */
    @Override
    public final Object[] parse(byte[] body) throws ParseException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ParseException("the event body is not valid UTF-8 (" + e.getMessage() + ")");
        }
        return parseText(text);
    }

    @Override
    public abstract Object[] parseText(String text) throws ParseException;
}
