package io.sluice.core.source.spooldir;

import io.sluice.api.Event;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code LINE} deserializer: one event per line, as Apache Flume's. A line ends at {@code \n}
 * (which is not part of the body; a {@code \r} before it is kept, as in Flume). A line of
 * {@code maxLineLength} characters or more is split: the first {@code maxLineLength} characters
 * become one event and the rest is read as the next line; each split is counted. The body is the
 * line encoded in {@code outputCharset}. Not thread-safe.
 *
 * <p>With a dead-letter channel ({@code longLines} takes the line), a line that reaches
 * {@code maxLineLength} is not split: its first {@code maxLineLength} characters are handed to
 * {@code longLines} with the reason (the reader commits them with the batch, see
 * {@link SpoolReader#keepLetters()}), the rest of the line is skipped, and the line counts as one
 * of the batch's {@code max} lines.
 */
final class LineDeserializer implements SpoolDeserializer {
    private static final Logger LOG = LoggerFactory.getLogger(LineDeserializer.class);
    /** {@link #readLine}: the end of the input, nothing read. */
    private static final int END = 0;
    /** {@link #readLine}: a line (or a piece of a long one) is in the builder. */
    private static final int LINE = 1;
    /** {@link #readLine}: a long line was handed to {@link LongLines} and skipped. */
    private static final int SET_ASIDE = 2;

    private final DecodingReader reader;
    private final int maxLineLength;
    private final Charset outputCharset;
    /** Whether an ASCII line's bytes are its body as they are (the output charset encodes ASCII as itself). */
    private final boolean asciiOutput;
    private final LongAdder splitLines;
    private final String label;
    private final LongLines longLines;

    /** Where a line over the limit goes instead of being split; {@link #keep} false splits it. */
    @FunctionalInterface
    interface LongLines {
        /** Takes the first characters of a too-long line (the rest is skipped); false to split it instead. */
        boolean keep(byte[] start, Map<String, String> headers, String reason);
    }

    LineDeserializer(DecodingReader reader, int maxLineLength, Charset outputCharset, LongAdder splitLines,
            String label) {
        this(reader, maxLineLength, outputCharset, splitLines, label, (start, headers, reason) -> false);
    }

    LineDeserializer(DecodingReader reader, int maxLineLength, Charset outputCharset, LongAdder splitLines,
            String label, LongLines longLines) {
        this.longLines = requireNonNull(longLines, "longLines is null");
        this.reader = requireNonNull(reader, "reader is null");
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: > 0)");
        }
        this.maxLineLength = maxLineLength;
        this.outputCharset = requireNonNull(outputCharset, "outputCharset is null");
        this.asciiOutput = outputCharset.equals(StandardCharsets.UTF_8) || outputCharset.equals(StandardCharsets.US_ASCII)
                || outputCharset.equals(StandardCharsets.ISO_8859_1);
        this.splitLines = requireNonNull(splitLines, "splitLines is null");
        this.label = requireNonNull(label, "label is null");
    }

    @Override
    public List<Event> readEvents(int max, Map<String, String> headers) throws IOException {
        List<Event> events = new ArrayList<>(Math.min(max, 1024));
        StringBuilder line = new StringBuilder();
        // lines set aside count towards the batch: a file of long lines is read a batch at a time too
        int setAside = 0;
        while (events.size() + setAside < max) {
            if (asciiOutput) {
                byte[] ascii = reader.readAsciiLineIfShort(maxLineLength);
                if (ascii != null) {
                    events.add(Event.wrap(headers, ascii));
                    continue;
                }
            }
            String fast = reader.readLineIfShort(maxLineLength);
            if (fast != null) {
                events.add(Event.wrap(headers, fast.getBytes(outputCharset)));
                continue;
            }
            line.setLength(0);
            int r = readLine(line, headers);
            if (r == END) {
                break;
            }
            if (r == SET_ASIDE) {
                setAside++;
                continue;
            }
            events.add(Event.wrap(headers, line.toString().getBytes(outputCharset)));
        }
        return events;
    }

    private int readLine(StringBuilder line, Map<String, String> headers) throws IOException {
        int c;
        while ((c = reader.read()) != -1) {
            if (c == '\n') {
                return LINE;
            }
            line.append((char) c);
            if (line.length() >= maxLineLength && longLines.keep(line.toString().getBytes(outputCharset), headers,
                    "line longer than deserializer.maxLineLength = " + maxLineLength + " characters; its first "
                            + maxLineLength + " characters are kept and the rest of the line is skipped")) {
                skipRestOfLine();
                return SET_ASIDE;
            }
            if (line.length() >= maxLineLength) {
                splitLines.increment();
                LOG.debug("[{}] a line is longer than deserializer.maxLineLength = {} characters; split into"
                        + " several events", label, maxLineLength);
                return LINE;
            }
        }
        return line.length() > 0 ? LINE : END;
    }

    private void skipRestOfLine() throws IOException {
        int c;
        while ((c = reader.read()) != -1 && c != '\n') {
            // skipped: the line's start is in the dead-letter channel
        }
    }

    @Override
    public Mark mark() {
        return new Mark(reader.position(), 0);
    }

    @Override
    public void reset(Mark mark) throws IOException {
        reader.seek(mark.offset());
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
