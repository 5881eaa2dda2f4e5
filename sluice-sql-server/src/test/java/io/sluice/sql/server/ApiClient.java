package io.sluice.sql.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A test client speaking the server's HTTP protocol over a real socket (JDK HttpClient). */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ApiClient(SqlServer server) {
        this("http://127.0.0.1:" + server.address().getPort(), server.token());
    }

    ApiClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Runs one statement; fails unless the answer is 200. */
    JsonNode statement(String sql) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/v1/statements", JSON.writeValueAsString(Map.of("sql", sql)));
        if (r.statusCode() != 200) {
            throw new AssertionError(sql + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** An open streamed answer read line by line. */
    static final class Lines implements AutoCloseable {
        final int status;
        private final InputStream in;
        private final BufferedReader reader;

        Lines(HttpResponse<InputStream> r) {
            this.status = r.statusCode();
            this.in = r.body();
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        /** The next line, or null at the end of the body. */
        String next() throws IOException {
            return reader.readLine();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    Lines stream(HttpRequest r) throws IOException, InterruptedException {
        return new Lines(http.send(r, HttpResponse.BodyHandlers.ofInputStream()));
    }

    Lines streamGet(String path) throws IOException, InterruptedException {
        return stream(request(path).timeout(Duration.ofMinutes(5)).GET().build());
    }

    Lines streamPost(String path, String body) throws IOException, InterruptedException {
        return stream(request(path).timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }
}
