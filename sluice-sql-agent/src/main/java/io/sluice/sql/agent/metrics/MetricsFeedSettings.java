package io.sluice.sql.agent.metrics;

import io.sluice.api.text.DidYouMean;
import io.sluice.sql.agent.http.ServerAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The PROPERTIES of a metrics stream, checked at once: {@code url} (required: the query API of a
 * {@code metrics} sink, {@code http://127.0.0.1:<query.port>}), {@code token-file} (the file holding
 * its token: {@code <agent>-<port>.token} in the agent's run directory) or {@code token}, and
 * {@code buffer} (samples the API holds for this reader when it falls behind; default 10000).
 * Immutable.
 */
record MetricsFeedSettings(ServerAddress server, String url, String path) {
    static final String URL = "url";
    static final String TOKEN_FILE = "token-file";
    static final String TOKEN = "token";
    static final String BUFFER = "buffer";
    private static final Set<String> KEYS = Set.of(URL, TOKEN_FILE, TOKEN, BUFFER);

    MetricsFeedSettings {
        requireNonNull(server, "server is null");
        requireNonNull(url, "url is null");
        requireNonNull(path, "path is null");
    }

    /**
     * Reads the properties of {@code METRICS 'selector'}.
     *
     * @throws IllegalArgumentException listing every problem, each with what to do
     */
    static MetricsFeedSettings of(String selector, Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        for (String k : properties.keySet()) {
            if (!KEYS.contains(k)) {
                problems.add("unknown property '" + k + "'" + DidYouMean.suggest(k, KEYS) + " (known: url, token-file,"
                        + " token, buffer)");
            }
        }
        String url = properties.get(URL);
        String hostPort = null;
        boolean tls = false;
        if (url == null || url.isBlank()) {
            problems.add("'url' is required: the query API of an agent's metrics sink, e.g. 'url' ="
                    + " 'http://127.0.0.1:9091' (the sink's query.port)");
        } else {
            try {
                URI u = new URI(url.trim());
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getPort() < 0) {
                    problems.add("'url' = '" + url + "': expected http://HOST:PORT (the metrics sink's query.bind and"
                            + " query.port), e.g. http://127.0.0.1:9091");
                } else {
                    tls = scheme.equals("https");
                    hostPort = u.getHost() + ":" + u.getPort();
                }
            } catch (URISyntaxException e) {
                problems.add("'url' = '" + url + "' is not a URL: " + e.getMessage() + "; expected http://HOST:PORT");
            }
        }
        String token = properties.get(TOKEN);
        String tokenFile = properties.get(TOKEN_FILE);
        if (token != null && tokenFile != null) {
            problems.add("give 'token' or 'token-file', not both");
        } else if (tokenFile != null) {
            try {
                token = ServerAddress.readToken(Path.of(tokenFile.trim()));
            } catch (IllegalArgumentException e) {
                problems.add("'token-file' = '" + tokenFile + "' cannot be read (" + e.getCause() + "); give the"
                        + " <agent>-<port>.token file the agent wrote in its run directory (its log names it)");
                token = null;
            }
        } else if (token == null) {
            problems.add("'token-file' is required: the <agent>-<port>.token file the agent wrote for the metrics"
                    + " query API (its log names it), or the sink's query.token as 'token'");
        }
        if (token != null && token.isBlank()) {
            problems.add("the token is empty; give the file the agent wrote or the sink's query.token");
        }
        String buffer = properties.get(BUFFER);
        if (buffer != null) {
            try {
                int b = Integer.parseInt(buffer.trim());
                if (b < 1 || b > 1_000_000) {
                    problems.add("'buffer' = '" + buffer + "' (expected: 1 to 1000000 samples)");
                }
            } catch (NumberFormatException e) {
                problems.add("'buffer' = '" + buffer + "' is not a number of samples (expected: 1 to 1000000)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        ServerAddress server = ServerAddress.of(hostPort, token, tls, null);
        String path = "/api/v1/stream?match%5B%5D=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + (buffer == null ? "" : "&buffer=" + buffer.trim());
        return new MetricsFeedSettings(server, url.trim(), path);
    }
}
