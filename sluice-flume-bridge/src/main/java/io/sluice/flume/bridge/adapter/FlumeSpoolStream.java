package io.sluice.flume.bridge.adapter;

import io.sluice.core.source.spooldir.DecodingReader;
import java.io.IOException;
import org.apache.flume.serialization.LengthMeasurable;
import org.apache.flume.serialization.RemoteMarkable;
import org.apache.flume.serialization.ResettableInputStream;

import static java.util.Objects.requireNonNull;

/**
 * The spooled file as Apache Flume's {@link ResettableInputStream}, for a Flume deserializer: bytes
 * and characters (decoded with the source's {@code inputCharset} and {@code decodeErrorPolicy})
 * from one position, a mark the deserializer sets at its commit points, and that mark's position
 * read and set by the spooldir source ({@link RemoteMarkable}), which persists it. Not thread-safe:
 * used by the source's one reading thread.
 */
final class FlumeSpoolStream extends ResettableInputStream implements RemoteMarkable, LengthMeasurable {
    private final DecodingReader in;
    private final byte[] one = new byte[1];
    private long mark;

    FlumeSpoolStream(DecodingReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    @Override
    public int read() throws IOException {
        return in.readBytes(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.readBytes(b, off, len);
    }

    @Override
    public int readChar() throws IOException {
        return in.read();
    }

    @Override
    public void mark() {
        mark = in.position();
    }

    @Override
    public void reset() throws IOException {
        in.seek(mark);
    }

    @Override
    public void seek(long position) throws IOException {
        in.seek(position);
    }

    @Override
    public long tell() {
        return in.position();
    }

    @Override
    public void markPosition(long position) {
        mark = position;
    }

    @Override
    public long getMarkPosition() {
        return mark;
    }

    @Override
    public long length() throws IOException {
        return in.length();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
