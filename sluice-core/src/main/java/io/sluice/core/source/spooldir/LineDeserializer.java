package io.sluice.core.source.spooldir;

import io.sluice.api.Event;
import java.io.IOException;
import java.nio.charset.Charset;
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
 */
final class LineDeserializer implements SpoolDeserializer {
    private static final Logger LOG = LoggerFactory.getLogger(LineDeserializer.class);

    private final DecodingReader reader;
    private final int maxLineLength;
    private final Charset outputCharset;
    private final LongAdder splitLines;
    private final String label;

    LineDeserializer(DecodingReader reader, int maxLineLength, Charset outputCharset, LongAdder splitLines,
            String label) {
        this.reader = requireNonNull(reader, "reader is null");
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: > 0)");
        }
        this.maxLineLength = maxLineLength;
        this.outputCharset = requireNonNull(outputCharset, "outputCharset is null");
        this.splitLines = requireNonNull(splitLines, "splitLines is null");
        this.label = requireNonNull(label, "label is null");
    }

    @Override
    public List<Event> readEvents(int max, Map<String, String> headers) throws IOException {
        List<Event> events = new ArrayList<>(Math.min(max, 1024));
        StringBuilder line = new StringBuilder();
        while (events.size() < max) {
            String fast = reader.readLineIfShort(maxLineLength);
            if (fast != null) {
                events.add(Event.wrap(headers, fast.getBytes(outputCharset)));
                continue;
            }
            line.setLength(0);
            if (!readLine(line)) {
                break;
            }
            events.add(Event.wrap(headers, line.toString().getBytes(outputCharset)));
        }
        return events;
    }

    private boolean readLine(StringBuilder line) throws IOException {
        int c;
        while ((c = reader.read()) != -1) {
            if (c == '\n') {
                return true;
            }
            line.append((char) c);
            if (line.length() >= maxLineLength) {
                splitLines.increment();
                LOG.debug("[{}] a line is longer than deserializer.maxLineLength = {} characters; split into"
                        + " several events", label, maxLineLength);
                return true;
            }
        }
        return line.length() > 0;
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
