package io.sluice.core.config.source;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Building and merging configuration sources. Stateless.
 */
public final class ConfigSources {
    private ConfigSources() {
    }

    /**
     * The source a {@code --conf-uri} names: {@code http(s):} URLs (with basic authentication when
     * {@code user} is not null) and {@code file:} URIs.
     *
     * @throws IllegalArgumentException naming the URI and what is accepted
     */
    public static ConfigSource fromUri(String uri, String user, String password) {
        URI u;
        try {
            u = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--conf-uri " + uri + ": not a URI (" + e.getMessage()
                    + "); expected e.g. http://host:8080/flume.conf or file:///etc/flume/flume.conf");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                return new HttpConfigSource(u, user, password);
            }
            case "file" -> {
                return new FileConfigSource(Path.of(u));
            }
            default -> throw new IllegalArgumentException("--conf-uri " + uri + ": scheme '" + u.getScheme()
                    + "' is not supported (expected: http, https or file); for a file you may also use -f");
        }
    }

    /** Whether any of the sources is fetched over HTTP (Apache Flume then polls every 300 s, not 30 s). */
    public static boolean anyHttp(List<? extends ConfigSource> sources) {
        return sources.stream().anyMatch(s -> s instanceof HttpConfigSource);
    }

    /**
     * Reads every source and merges their properties in order: a key keeps the position where it
     * first appeared and the value of the last source that has it.
     *
     * @throws SourceReadException naming the source that could not be read
     */
    public static Map<String, String> merge(List<? extends ConfigSource> sources) throws SourceReadException {
        Map<String, String> merged = new LinkedHashMap<>();
        for (ConfigSource s : sources) {
            try {
                merged.putAll(s.read().properties());
            } catch (IOException e) {
                throw new SourceReadException(s, e);
            }
        }
        return merged;
    }

    /** A source that could not be read, and why. */
    public static final class SourceReadException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ConfigSource source;

        SourceReadException(ConfigSource source, IOException cause) {
            super(source.describe() + ": " + cause.getMessage(), cause);
            this.source = source;
        }

        public ConfigSource source() {
            return source;
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
