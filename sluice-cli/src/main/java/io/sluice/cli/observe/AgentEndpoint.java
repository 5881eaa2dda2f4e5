package io.sluice.cli.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads an agent's metrics port over HTTP for the {@code top} and {@code tap} commands. Not thread-safe. */
final class AgentEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AgentEndpoint(String host, int port) {
        this.host = host;
        this.port = port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + pathAndQuery);
    }

    String describe() {
        return host + ":" + port;
    }

    HttpClient client() {
        return http;
    }

    /** GET of a JSON document; a clear IOException when the agent is not there or answers an error. */
    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("no agent answers on " + describe() + " (is it running with --metrics-port "
                    + port + " or -Dflume.monitoring.port=" + port + "?)", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " on " + describe() + " answered " + r.statusCode() + ": "
                    + r.body().trim());
        }
        return JSON.readTree(r.body());
    }
}
