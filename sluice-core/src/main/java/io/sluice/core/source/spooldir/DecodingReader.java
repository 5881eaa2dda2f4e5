package io.sluice.core.source.spooldir;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Decodes a file one character at a time while knowing the byte offset of the next undecoded
 * character, so a reader can be positioned back at a line boundary after a restart. Malformed or
 * unmappable input is handled by the {@link DecodeErrorPolicy}: {@code FAIL} throws an exception
 * naming the file and the byte offset. Not thread-safe.
 */
public final class DecodingReader implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final CharsetDecoder decoder;
    /** Decodes whole lines at once, when the charset lets a byte '\n' be found without decoding; else null. */
    private final CharsetDecoder lineDecoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(2);
    private long bufferStart;
    private boolean endOfFile;
    private int pendingLowSurrogate = -1;

    public DecodingReader(Path file, Charset charset, DecodeErrorPolicy policy) throws IOException {
        this.file = requireNonNull(file, "file is null");
        CodingErrorAction action = switch (policy) {
            case FAIL -> CodingErrorAction.REPORT;
            case REPLACE -> CodingErrorAction.REPLACE;
            case IGNORE -> CodingErrorAction.IGNORE;
        };
        this.decoder = charset.newDecoder().onMalformedInput(action).onUnmappableCharacter(action);
        // In these charsets the byte 0x0A is always '\n' and never part of another character.
        boolean newlineIsAByte = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1);
        this.lineDecoder = newlineIsAByte
                ? charset.newDecoder().onMalformedInput(action).onUnmappableCharacter(action) : null;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        bytes.flip();
    }

    /** The byte offset of the next character; only meaningful between whole code points. */
    public long position() {
        return bufferStart + bytes.position();
    }

    /** Moves to a byte offset previously returned by {@link #position()}. */
    public void seek(long offset) throws IOException {
        channel.position(offset);
        bufferStart = offset;
        bytes.clear().flip();
        decoder.reset();
        endOfFile = false;
        pendingLowSurrogate = -1;
    }

    /** The next UTF-16 char, or -1 at the end of the file. */
    public int read() throws IOException {
        if (pendingLowSurrogate >= 0) {
            int c = pendingLowSurrogate;
            pendingLowSurrogate = -1;
            return c;
        }
        while (true) {
            chars.clear().limit(1);
            CoderResult result = decoder.decode(bytes, chars, endOfFile);
            if (result.isOverflow() && chars.position() == 0) {
                chars.limit(2); // a supplementary code point needs a surrogate pair
                result = decoder.decode(bytes, chars, endOfFile);
            }
            if (chars.position() > 0) {
                chars.flip();
                char c = chars.get();
                if (chars.hasRemaining()) {
                    pendingLowSurrogate = chars.get();
                }
                return c;
            }
            if (result.isError()) {
                throw new CharacterCodingException() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public String getMessage() {
                        return file + ": bytes at offset " + position() + " are not valid "
                                + decoder.charset().name() + " (decodeErrorPolicy = FAIL; set inputCharset to the"
                                + " file's character set, or decodeErrorPolicy to REPLACE or IGNORE)";
                    }
                };
            }
            if (endOfFile) {
                return -1;
            }
            fill();
        }
    }

    /**
     * The fast path of line reading: when the charset is UTF-8, US-ASCII or ISO-8859-1, no surrogate
     * is pending, and the next {@code '\n'} comes after fewer than {@code maxBytes} bytes (so the
     * line has fewer than {@code maxBytes} characters too), decodes the bytes before it at once,
     * moves past the {@code '\n'} and returns them. Returns null, having read nothing, in every
     * other case (the end of the file, a longer line, bytes invalid under {@code FAIL}): the caller
     * then reads character by character with {@link #read()}, which reports errors and splits.
     */
    public String readLineIfShort(int maxBytes) throws IOException {
        int nl = shortLineEnd(maxBytes);
        if (nl < 0) {
            return null;
        }
        ByteBuffer line = bytes.duplicate();
        line.limit(nl);
        String text;
        try {
            text = lineDecoder.reset().decode(line).toString();
        } catch (CharacterCodingException e) {
            return null; // read() reports it, with the offset
        }
        bytes.position(nl + 1);
        return text;
    }

    /**
     * The fastest path of line reading, for a line of ASCII bytes only: as
     * {@link #readLineIfShort(int)}, but returns the line's bytes themselves, which in UTF-8,
     * US-ASCII and ISO-8859-1 encode exactly the characters they decode to (so a caller whose output
     * charset is one of these needs neither to decode nor to encode them again). Returns null, having
     * read nothing, when the line holds any other byte or {@code readLineIfShort} would return null.
     */
    public byte[] readAsciiLineIfShort(int maxBytes) throws IOException {
        int nl = shortLineEnd(maxBytes);
        if (nl < 0) {
            return null;
        }
        byte[] a = bytes.array();
        int from = bytes.position();
        for (int i = from; i < nl; i++) {
            if (a[i] < 0) {
                return null;
            }
        }
        bytes.position(nl + 1);
        return Arrays.copyOfRange(a, from, nl);
    }

    /**
     * The index in {@code bytes} of the '\n' ending the next line when a fast path may read it (the
     * charset finds newlines as bytes, no surrogate is pending, the line is shorter than
     * {@code maxBytes}), reading more of the file when needed; else -1.
     */
    private int shortLineEnd(int maxBytes) throws IOException {
        if (lineDecoder == null || pendingLowSurrogate >= 0) {
            return -1;
        }
        int nl = newline(maxBytes);
        if (nl < 0 && !endOfFile && bytes.remaining() < maxBytes) {
            fill();
            nl = newline(maxBytes);
        }
        return nl;
    }

    /** The index in {@code bytes} of the next '\n' within {@code maxBytes}, or -1. */
    private int newline(int maxBytes) {
        int end = Math.min(bytes.limit(), bytes.position() + maxBytes);
        byte[] a = bytes.array();
        for (int i = bytes.position(); i < end; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Up to {@code len} raw bytes from {@link #position()} on, or -1 at the end of the file, for
     * deserializers that read bytes and characters of the same file in turn. Not in the middle of a
     * surrogate pair.
     */
    public int readBytes(byte[] b, int off, int len) throws IOException {
        if (pendingLowSurrogate >= 0) {
            throw new IllegalStateException(file + ": bytes read in the middle of a surrogate pair at offset "
                    + position());
        }
        if (len == 0) {
            return 0;
        }
        if (!bytes.hasRemaining()) {
            if (endOfFile) {
                return -1;
            }
            fill();
            if (!bytes.hasRemaining()) {
                return -1;
            }
        }
        int n = Math.min(len, bytes.remaining());
        bytes.get(b, off, n);
        decoder.reset();
        return n;
    }

    /** The file's length in bytes. */
    public long length() throws IOException {
        return channel.size();
    }

    private void fill() throws IOException {
        bufferStart += bytes.position();
        bytes.compact();
        int n = channel.read(bytes);
        bytes.flip();
        if (n < 0) {
            endOfFile = true;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
