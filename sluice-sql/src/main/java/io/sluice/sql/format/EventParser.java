package io.sluice.sql.format;

import java.nio.charset.StandardCharsets;

/**
 * Reads an event body into the values of a stream's columns. A field that does not parse becomes
 * NULL in a nullable column; when a NOT NULL column gets no valid value the event is rejected with a
 * {@link ParseException} naming the column. Implementations are immutable and thread-safe.
 */
public interface EventParser {
    Object[] parse(byte[] body) throws ParseException;

    /** Parses a body already decoded as UTF-8 text (a line of a file). */
    default Object[] parseText(String text) throws ParseException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
