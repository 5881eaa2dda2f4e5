package io.sluice.core.source.spooldir;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code BLOB} deserializer: the whole file is one event, as Apache Flume's BlobDeserializer
 * (from its morphline module) makes it. A file longer than {@code maxBlobLength} bytes is split
 * into events of at most that many bytes; each split is counted. Not thread-safe.
 */
final class BlobDeserializer implements SpoolDeserializer {
    private final FileChannel channel;
    private final int maxBlobLength;
    private final LongAdder splits;

    BlobDeserializer(Path file, int maxBlobLength, LongAdder splits) throws IOException {
        if (maxBlobLength < 1) {
            throw new IllegalArgumentException("maxBlobLength: " + maxBlobLength + " (expected: > 0)");
        }
        this.maxBlobLength = maxBlobLength;
        this.splits = splits;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    @Override
    public List<Event> readEvents(int max, Map<String, String> headers) throws IOException {
        List<Event> events = new ArrayList<>();
        while (events.size() < max) {
            long left = channel.size() - channel.position();
            if (left <= 0) {
                break;
            }
            int n = (int) Math.min(left, maxBlobLength);
            if (left > maxBlobLength) {
                splits.increment();
            }
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining() && channel.read(buf) > 0) {
                // keep reading until the blob is complete or the file ends
            }
            byte[] body = buf.position() == n ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
            if (body.length == 0) {
                break;
            }
            events.add(Event.wrap(headers, body));
        }
        return events;
    }

    @Override
    public Mark mark() {
        try {
            return new Mark(channel.position(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void reset(Mark mark) throws IOException {
        channel.position(mark.offset());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
