package io.sluice.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a text file into records, one pass, in time linear in its size whatever its content.
 *
 * <ul>
 * <li>A line ends at LF; a CR right before the LF is dropped. A lone CR is data (it does not end
 *     the line). Blank lines are skipped. A UTF-8 byte order mark at the start of the file is
 *     skipped.</li>
 * <li>Each line is decoded as strict UTF-8: a line with invalid UTF-8 is returned as a
 *     {@link Record#rejected() rejection} naming the byte offset, never with U+FFFD put in
 *     silently.</li>
 * <li>A line longer than {@link #MAX_LINE_BYTES} is rejected (its excess is skipped, not kept in
 *     memory).</li>
 * <li>With {@code csv}, a record continues onto the next line while a quoted field is open
 *     (RFC 4180; a quote inside an unquoted field is an ordinary character). A quoted field that
 *     is not closed within {@link #MAX_CSV_RECORD_BYTES}, or by the end of the file, rejects only the
 *     line where it opened; reading resumes with the line after it.</li>
 * </ul>
 * Rejections carry an excerpt of at most {@link #EXCERPT_CHARS} characters. Not thread-safe.
 */
final class TextRecordReader implements AutoCloseable {
    /** The longest line read; longer ones are rejected. */
    static final int MAX_LINE_BYTES = 8 << 20;
    /** How far a CSV record may run over line breaks inside quotes before its first line is rejected. */
    static final int MAX_CSV_RECORD_BYTES = 1 << 20;
    /** The most characters of a rejected record kept as its text. */
    static final int EXCERPT_CHARS = 200;

    /** One record, or one rejected line (text is then an excerpt). */
    record Record(String text, String reason) {
        boolean rejected() {
            return reason != null;
        }
    }

    /** A decoded line, or why it could not be decoded. */
    private record Line(long number, String text, String error) {
    }

    private final InputStream in;
    private final boolean csv;
    private final char delimiter;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private byte[] line = new byte[256];
    private long lineNumber;
    private long offset;
    private boolean first = true;
    /** Lines read ahead while looking for the end of a CSV record, to be read again if it never ends. */
    private final ArrayDeque<Line> pending = new ArrayDeque<>();

    TextRecordReader(InputStream in, boolean csv, char delimiter) {
        this.in = in;
        this.csv = csv;
        this.delimiter = delimiter;
    }

    /** The next record or rejection; null at the end of the file. */
    Record next() throws IOException {
        while (true) {
            Line l = nextLine();
            if (l == null) {
                return null;
            }
            if (l.error != null) {
                return new Record(excerpt(l.text), "line " + l.number + ": " + l.error);
            }
            if (l.text.isBlank()) {
                continue;
            }
            if (!csv) {
                return new Record(l.text, null);
            }
            int state = scan(l.text, START);
            if (state != QUOTED) {
                return new Record(l.text, null);
            }
            return continueCsv(l, state);
        }
    }

    private static final int START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_IN_QUOTED = 3;
    private static final int AFTER_CLOSE = 4;

    /** Runs the RFC 4180 field state machine over {@code s} from {@code state}. */
    private int scan(CharSequence s, int state) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (state) {
                case START:
                    state = c == '"' ? QUOTED : c == delimiter ? START : UNQUOTED;
                    break;
                case UNQUOTED:
                case AFTER_CLOSE:
                    if (c == delimiter) {
                        state = START;
                    }
                    break;
                case QUOTED:
                    if (c == '"') {
                        state = QUOTE_IN_QUOTED;
                    }
                    break;
                default: // QUOTE_IN_QUOTED
                    state = c == '"' ? QUOTED : c == delimiter ? START : AFTER_CLOSE;
            }
        }
        return state;
    }

    /** Joins lines while a quoted field is open; rejects the first line if it never closes. */
    private Record continueCsv(Line firstLine, int state) throws IOException {
        StringBuilder sb = new StringBuilder(firstLine.text);
        List<Line> taken = new ArrayList<>();
        long bytes = firstLine.text.length();
        String why = null;
        while (true) {
            Line l = nextLine();
            if (l == null) {
                why = "a quoted CSV field opened on line " + firstLine.number + " is not closed by the end of the file";
                break;
            }
            taken.add(l);
            if (l.error != null) {
                why = "a quoted CSV field opened on line " + firstLine.number + " runs into line " + l.number
                        + ", which is not valid: " + l.error;
                break;
            }
            bytes += l.text.length() + 1;
            if (bytes > MAX_CSV_RECORD_BYTES) {
                why = "a quoted CSV field opened on line " + firstLine.number + " is not closed within "
                        + MAX_CSV_RECORD_BYTES + " bytes";
                break;
            }
            sb.append('\n');
            state = scan("\n", state);
            sb.append(l.text);
            state = scan(l.text, state);
            if (state != QUOTED) {
                return new Record(sb.toString(), null);
            }
        }
        // read the lines after the bad one again, as records of their own
        for (int i = taken.size() - 1; i >= 0; i--) {
            pending.addFirst(taken.get(i));
        }
        return new Record(excerpt(firstLine.text), why + "; add the missing \" (reading goes on with line "
                + (firstLine.number + 1) + ")");
    }

    private static String excerpt(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= EXCERPT_CHARS ? s : s.substring(0, EXCERPT_CHARS) + "... (" + s.length() + " characters)";
    }

    private Line nextLine() throws IOException {
        if (!pending.isEmpty()) {
            return pending.pollFirst();
        }
        int n = 0;
        boolean tooLong = false;
        boolean any = false;
        long start = offset;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            byte b = buf[pos++];
            offset++;
            if (b == '\n') {
                break;
            }
            if (n < MAX_LINE_BYTES) {
                if (n == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, n * 2));
                }
                line[n++] = b;
            } else {
                tooLong = true;
            }
        }
        lineNumber++;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        int from = 0;
        if (first) {
            first = false;
            if (n >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
                from = 3; // a UTF-8 byte order mark
            }
        }
        if (tooLong) {
            return new Line(lineNumber, decodeLenient(from, Math.min(n, 4 * EXCERPT_CHARS)),
                    "the line is longer than " + MAX_LINE_BYTES + " bytes");
        }
        boolean ascii = true;
        for (int i = from; i < n; i++) {
            if (line[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new Line(lineNumber, new String(line, from, n - from, StandardCharsets.ISO_8859_1), null);
        }
        int bad = firstInvalid(from, n);
        if (bad == n) {
            return new Line(lineNumber, new String(line, from, n - from, StandardCharsets.UTF_8), null);
        }
        return new Line(lineNumber, decodeLenient(from, n), "invalid UTF-8 at byte offset " + (start + bad)
                + " of the file (byte " + (bad + 1) + " of the line); the file must be UTF-8");
    }

    /**
     * The offset in {@code line} of the first byte that does not start a well-formed UTF-8 sequence
     * (no overlong forms, no surrogates, nothing above U+10FFFF); {@code n} if there is none.
     */
    private int firstInvalid(int from, int n) {
        int i = from;
        while (i < n) {
            int b = line[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int len;
            if (b >= 0xC2 && b <= 0xDF) {
                len = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                len = 3;
            } else if (b >= 0xF0 && b <= 0xF4) {
                len = 4;
            } else {
                return i;
            }
            if (i + len > n) {
                return i;
            }
            for (int k = 1; k < len; k++) {
                if ((line[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            int b1 = line[i + 1] & 0xFF;
            if (b == 0xE0 && b1 < 0xA0 || b == 0xED && b1 > 0x9F || b == 0xF0 && b1 < 0x90 || b == 0xF4 && b1 > 0x8F) {
                return i;
            }
            i += len;
        }
        return n;
    }

    private String decodeLenient(int from, int n) {
        return new String(line, from, Math.max(0, n - from), StandardCharsets.UTF_8);
    }

    private boolean fill() throws IOException {
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = r;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
