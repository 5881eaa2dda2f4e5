package io.sluice.core.source.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines the way {@link java.io.BufferedReader#readLine()} does (a line ends
 * at {@code \n}, {@code \r} or {@code \r\n}, which are dropped), without ever holding more than
 * {@code maxLineLength} bytes of a line: a longer line comes out in pieces of
 * {@code maxLineLength} bytes, each but the last marked {@link Line#continued()}, so a command that
 * prints without a newline cannot exhaust the heap. Works for charsets in which {@code \n} and
 * {@code \r} are the single bytes 10 and 13 and never occur inside another character (UTF-8, the
 * ISO-8859 family, US-ASCII, windows-125x); see {@link #splitsBytes}.
 *
 * <p>Not thread-safe: one reader thread uses it.
 */
final class LineSplitter {
    /**
     * One line, or one piece of a long line.
     *
     * @param bytes     the line's bytes without its end
     * @param continued true when the line goes on in the next piece (it was cut at the limit)
     * @param piece     0 for a line or the first piece of a long one, then 1, 2, ...
     */
    record Line(byte[] bytes, boolean continued, int piece) {
    }

    private final InputStream in;
    private final int maxLineLength;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean afterCr;
    private int piece;

    LineSplitter(InputStream in, int maxLineLength) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: > 0)");
        }
        this.in = in;
        this.maxLineLength = maxLineLength;
    }

    /** Whether lines of {@code charset} can be cut at the bytes 10 and 13. */
    static boolean splitsBytes(Charset charset) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            return true;
        }
        return charset.canEncode() && charset.newEncoder().maxBytesPerChar() == 1.0f
                && Arrays.equals("\r\n".getBytes(charset), new byte[] {13, 10});
    }

    /** The next line or piece, or null at the end of the stream (a last line without its end included). */
    Line next() throws IOException {
        byte[] line = new byte[Math.min(maxLineLength, 256)];
        int length = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (length == 0 && piece == 0) {
                        return null;
                    }
                    return finish(line, length, false);
                }
            }
            byte b = buffer[position++];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                afterCr = b == '\r';
                return finish(line, length, false);
            }
            if (length == maxLineLength) {
                position--;
                return finish(line, length, true);
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineLength, line.length * 2));
            }
            line[length++] = b;
        }
    }

    private Line finish(byte[] line, int length, boolean continued) {
        Line l = new Line(Arrays.copyOf(line, length), continued, piece);
        piece = continued ? piece + 1 : 0;
        return l;
    }
}
