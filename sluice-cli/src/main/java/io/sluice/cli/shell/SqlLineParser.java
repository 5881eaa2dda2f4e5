package io.sluice.cli.shell;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * JLine parser for the prompt: a statement may span lines and ends at {@code ;} (outside strings
 * and comments); a control command ({@code \f}, {@code \q}, ...) ends at the end of its line.
 * Thread-safe (no state).
 */
final class SqlLineParser extends DefaultParser {
    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("\\") && !Statements.isComplete(line)) {
                throw new EOFError(-1, -1, "the statement goes on until ';'", "");
            }
            return super.parse(line, cursor, ParseContext.SPLIT_LINE);
        }
        return super.parse(line, cursor, context);
    }
}
