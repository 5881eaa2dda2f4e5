package io.sluice.core.sink.http;

import java.net.URI;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** The checked configuration of one {@link HttpSink}. Immutable. */
public record HttpSinkSettings(URI endpoint, Duration connectTimeout, Duration requestTimeout, String contentType,
        String accept, StatusRules backoff, StatusRules rollback, StatusRules incrementMetrics) {
    public HttpSinkSettings {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(accept, "accept is null");
        requireNonNull(backoff, "backoff is null");
        requireNonNull(rollback, "rollback is null");
        requireNonNull(incrementMetrics, "incrementMetrics is null");
    }
}
