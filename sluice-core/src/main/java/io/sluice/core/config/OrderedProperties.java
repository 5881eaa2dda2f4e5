package io.sluice.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
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

    /** Reads {@code file} as ISO-8859-1 with unicode escapes, like {@link Properties#load(InputStream)}. */
    public static Map<String, String> load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Recorder r = new Recorder();
            r.load(in);
            return r.unmodifiable();
        }
    }

    public static Map<String, String> load(Reader reader) throws IOException {
        Recorder r = new Recorder();
        r.load(reader);
        return r.unmodifiable();
    }

    public static Map<String, String> parse(String text) {
        try {
            return load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
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
