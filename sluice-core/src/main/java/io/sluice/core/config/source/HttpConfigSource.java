package io.sluice.core.config.source;

import io.sluice.core.config.OrderedProperties;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A configuration served over HTTP or HTTPS ({@code -u/--conf-uri}), fetched with a GET on every
 * read, with HTTP basic authentication when a user is given ({@code --conf-user},
 * {@code --conf-password}). As Apache Flume does, a read after the first sends
 * {@code If-Modified-Since} with the server's last {@code Last-Modified}, and a 304 answer returns
 * the content read before. The body is read in the charset its {@code Content-Type} names, else
 * as a configuration file is: {@link java.util.Properties} syntax in UTF-8 (a byte order mark
 * skipped, unicode escapes kept). Any other status but 200 is an error naming it.
 * Thread-safe: the last answer is guarded by this object's monitor, never held during the request.
 */
public final class HttpConfigSource implements ConfigSource {
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9._:+-]+)");
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI uri;
    private final String user;
    private final String password;
    private final HttpClient client;
    private String lastModified;
    private Content last;

    /**
     * @param user     null for no authentication
     * @param password the password for {@code user} (may be empty)
     */
    public HttpConfigSource(URI uri, String user, String password) {
        this.uri = requireNonNull(uri, "uri is null");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("uri: " + uri + " (expected: an http or https URL)");
        }
        this.user = user;
        this.password = password == null ? "" : password;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public String describe() {
        return uri.toString();
    }

    @Override
    public Content read() throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        String since;
        Content previous;
        synchronized (this) {
            since = lastModified;
            previous = last;
        }
        if (since != null && previous != null) {
            request.header("If-Modified-Since", since);
        }
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        } catch (IOException e) {
            throw new IOException("cannot fetch " + uri + ": " + e + "; check that the server is up and the URL is"
                    + " right", e);
        }
        int status = response.statusCode();
        if (status == 304 && previous != null) {
            return previous;
        }
        if (status == 401 || status == 403) {
            throw new IOException("fetching " + uri + " was refused (HTTP " + status + "); "
                    + (user == null ? "pass --conf-user and --conf-password" : "check --conf-user and --conf-password"));
        }
        if (status != 200) {
            throw new IOException("fetching " + uri + " answered HTTP " + status + " (expected: 200); check the URL");
        }
        byte[] body = response.body();
        Content content = new Content(body, parse(body, response.headers().firstValue("Content-Type").orElse("")));
        synchronized (this) {
            lastModified = response.headers().firstValue("Last-Modified").orElse(null);
            last = content;
        }
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpConfigSource h && uri.equals(h.uri) && Objects.equals(user, h.user);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, user);
    }

    @Override
    public String toString() {
        return "HttpConfigSource{" + uri + (user == null ? "" : ", user=" + user) + "}";
    }

    /**
     * The body as properties: in the charset the server names in {@code Content-Type}, else in
     * UTF-8 as a configuration file is read (a byte order mark skipped, bytes that are not UTF-8
     * refused with their offset).
     */
    private Map<String, String> parse(byte[] body, String contentType) throws IOException {
        Matcher m = CHARSET.matcher(contentType);
        if (m.find()) {
            Charset named;
            try {
                named = Charset.forName(m.group(1));
            } catch (IllegalArgumentException e) {
                throw new IOException(uri + " names an unknown charset '" + m.group(1)
                        + "' in its Content-Type; serve the configuration as UTF-8", e);
            }
            if (!named.equals(StandardCharsets.UTF_8)) {
                return OrderedProperties.load(new StringReader(new String(body, named)));
            }
        }
        return OrderedProperties.loadUtf8(body, uri.toString());
    }
}
