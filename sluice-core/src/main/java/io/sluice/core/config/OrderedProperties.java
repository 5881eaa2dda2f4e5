package io.sluice.core.config;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Parses a properties file with exactly {@link Properties} syntax (escapes, line continuations,
 * {@code =}, {@code :} or blank separators, {@code #} and {@code !} comments) but keeps the keys in
 * file order. A key given twice keeps its first position and its last value, as {@link
 * Properties#load} would.
 */
public final class OrderedProperties {
    private OrderedProperties() {
    }

    /**
     * Reads {@code file} as UTF-8 (as Apache Flume reads it on a UTF-8 platform), skipping a byte
     * order mark at its start; backslash-u escapes still work. Bytes that are not UTF-8 fail
     * the read with their offset, never turn silently into other characters.
     *
     * @throws CharacterCodingException naming the file and the offset of the first bad byte
     */
    public static Map<String, String> load(Path file) throws IOException {
        return loadUtf8(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses configuration bytes (a file's, or a configuration URL's body) as UTF-8, skipping a
     * byte order mark at their start.
     *
     * @param origin where the bytes came from, for the error message
     * @throws CharacterCodingException naming {@code origin} and the offset of the first bad byte
     */
    public static Map<String, String> loadUtf8(byte[] bytes, String origin) throws IOException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new NotUtf8Exception(origin, in.position());
        }
        decoder.flush(out);
        out.flip();
        return load(new StringReader(out.toString()));
    }

    /** A configuration file that is not UTF-8; the message says where and what to do. */
    public static final class NotUtf8Exception extends CharacterCodingException {
        private static final long serialVersionUID = 1L;
        private final String message;

        NotUtf8Exception(String origin, int offset) {
            this.message = origin + " is not UTF-8: byte " + offset + " starts no valid UTF-8 character; save the"
                    + " file as UTF-8, or write non-ASCII characters as \\uXXXX escapes";
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    /** Reads properties from {@code reader}; a byte order mark (U+FEFF) at its start is skipped. */
    public static Map<String, String> load(Reader reader) throws IOException {
        Recorder r = new Recorder();
        r.load(new BomSkippingReader(reader));
        return r.unmodifiable();
    }

    public static Map<String, String> parse(String text) {
        try {
            return load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    /** Drops a U+FEFF that is the first character read; passes everything else through. */
    private static final class BomSkippingReader extends FilterReader {
        private boolean first = true;

        BomSkippingReader(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    c = super.read();
                }
            }
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (first && n > 0) {
                first = false;
                if (buf[off] == '\uFEFF') {
                    System.arraycopy(buf, off + 1, buf, off, n - 1);
                    n--;
                    if (n == 0) {
                        return read(buf, off, len);
                    }
                }
            }
            return n;
        }
    }

    /** {@link Properties#load} calls {@code put} once per entry in file order; we record that order. */
    private static final class Recorder extends Properties {
        private final LinkedHashMap<String, String> ordered = new LinkedHashMap<>();

        @Override
        public synchronized Object put(Object key, Object value) {
            ordered.put((String) key, (String) value);
            return super.put(key, value);
        }

        Map<String, String> unmodifiable() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(ordered));
        }
    }
}
