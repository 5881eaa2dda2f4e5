package io.sluice.core.config.source;

import static java.util.Objects.requireNonNull;

import io.sluice.core.config.OrderedProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * A configuration served over HTTP or HTTPS ({@code -u/--conf-uri}), fetched with a GET on every
 * read, with HTTP basic authentication when a user is given ({@code --conf-user},
 * {@code --conf-password}). As Apache Flume does, a read after the first sends
 * {@code If-Modified-Since} with the server's last {@code Last-Modified}, and a 304 answer returns
 * the content read before. The body is read as a configuration file is: {@link java.util.Properties}
 * syntax in UTF-8 (a byte order mark skipped, unicode escapes kept). Any other status but 200 is an error naming it.
 * Thread-safe: the last answer is guarded by this object's monitor, never held during the request.
 */
public final class HttpConfigSource implements ConfigSource {
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
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
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
        Content content = new Content(body, OrderedProperties.loadUtf8(body, uri.toString()));
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
}
