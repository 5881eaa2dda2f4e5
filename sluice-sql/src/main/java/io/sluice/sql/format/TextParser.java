package io.sluice.sql.format;

import io.sluice.sql.Column;
import io.sluice.sql.SqlType;
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
    /** A stream of one BINARY column takes the body as it is: it need not be text. */
    private final boolean rawBody;

    TextParser(List<Column> columns, String nullSequence, String listDelim, int timeColumn) {
        this.rows = new RowBuilder(columns, nullSequence, listDelim, timeColumn);
        this.rawBody = columns.size() == 1 && columns.get(0).type().kind() == SqlType.Kind.BINARY;
    }

    /**
     * Decodes the body as strict UTF-8: invalid bytes reject the event instead of becoming U+FFFD.
     * A stream whose only column is BINARY gets the body's bytes unchanged (binary payloads).
     */
    @Override
    public final Object[] parse(byte[] body) throws ParseException {
        if (rawBody) {
            return new Object[] {body.clone()};
        }
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
