package io.sluice.core.sink.http;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code http} sink type ({@code org.apache.flume.sink.http.HttpSink}), with Apache Flume
 * 1.11's keys and defaults: {@code endpoint} (required), {@code connectTimeout} (5000 ms),
 * {@code requestTimeout} (5000 ms), {@code contentTypeHeader} and {@code acceptHeader}
 * ({@code text/plain}), {@code defaultBackoff} (true), {@code defaultRollback} (true),
 * {@code defaultIncrementMetrics} (false), and per status {@code backoff.<CODE>},
 * {@code rollback.<CODE>}, {@code incrementMetrics.<CODE>} where CODE is a status ({@code 503})
 * or a class ({@code 5XX}); plus {@code batchSize} (1, Sluice only).
 */
public final class HttpSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<String> ENDPOINT = ConfigKey.stringKey("endpoint", null,
            "the http:// or https:// URL each event's body is POSTed to").required();
    public static final ConfigKey<Integer> CONNECT_TIMEOUT = ConfigKey.intKey("connectTimeout", 5000,
            "the longest wait for a connection, in milliseconds").atLeast(1);
    public static final ConfigKey<Integer> REQUEST_TIMEOUT = ConfigKey.intKey("requestTimeout", 5000,
            "the longest wait for the response to one event, in milliseconds").atLeast(1);
    public static final ConfigKey<String> CONTENT_TYPE = ConfigKey.stringKey("contentTypeHeader", "text/plain",
            "the Content-Type header of each request");
    public static final ConfigKey<String> ACCEPT = ConfigKey.stringKey("acceptHeader", "text/plain",
            "the Accept header of each request");
    public static final ConfigKey<Boolean> DEFAULT_BACKOFF = ConfigKey.boolKey("defaultBackoff", true,
            "back off after a response whose status has no backoff.<CODE>");
    public static final ConfigKey<Boolean> DEFAULT_ROLLBACK = ConfigKey.boolKey("defaultRollback", true,
            "roll back (and send again later) after a response whose status has no rollback.<CODE>");
    public static final ConfigKey<Boolean> DEFAULT_INCREMENT_METRICS = ConfigKey.boolKey("defaultIncrementMetrics",
            false, "count EventDrainSuccessCount for a response whose status has no incrementMetrics.<CODE>");
    public static final ConfigKey<String> BACKOFF = ConfigKey.stringKey("backoff.", null,
            "backoff.<CODE> = true|false for a status (503) or class (5XX)");
    public static final ConfigKey<String> ROLLBACK = ConfigKey.stringKey("rollback.", null,
            "rollback.<CODE> = true|false for a status (503) or class (5XX)");
    public static final ConfigKey<String> INCREMENT_METRICS = ConfigKey.stringKey("incrementMetrics.", null,
            "incrementMetrics.<CODE> = true|false for a status (200) or class (2XX)");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 1,
            "events per transaction, each POSTed on its own (Sluice only; Apache Flume sends one per transaction)")
            .atLeast(1);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "http")
            .otherNames("org.apache.flume.sink.http.HttpSink")
            .keys(ENDPOINT, CONNECT_TIMEOUT, REQUEST_TIMEOUT, CONTENT_TYPE, ACCEPT, DEFAULT_BACKOFF, DEFAULT_ROLLBACK,
                    DEFAULT_INCREMENT_METRICS, BACKOFF, ROLLBACK, INCREMENT_METRICS, BATCH_SIZE)
            .description("POSTs each event's body to a URL; the response status decides commit, retry and back-off.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        String endpointText = context.get(ENDPOINT);
        URI endpoint = endpoint(context, endpointText);
        StatusRules backoff = rules(context, "backoff", context.get(DEFAULT_BACKOFF));
        StatusRules rollback = rules(context, "rollback", context.get(DEFAULT_ROLLBACK));
        StatusRules increment = rules(context, "incrementMetrics", context.get(DEFAULT_INCREMENT_METRICS));
        if (rollback.decide(200)) {
            context.warn(rollback.source(200, "rollback", "defaultRollback"), "a 200 response rolls the event back, so"
                    + " every event the endpoint accepts is sent again, forever (Apache Flume's default); set "
                    + context.fullKey("rollback.2XX") + " = false");
        }
        // every key is read before giving up, so one run reports every problem
        Duration connectTimeout = Duration.ofMillis(context.get(CONNECT_TIMEOUT));
        Duration requestTimeout = Duration.ofMillis(context.get(REQUEST_TIMEOUT));
        String contentType = context.get(CONTENT_TYPE);
        String accept = context.get(ACCEPT);
        int batchSize = context.get(BATCH_SIZE);
        if (endpoint == null) {
            return null;
        }
        HttpSinkSettings settings = new HttpSinkSettings(endpoint, connectTimeout, requestTimeout, contentType, accept,
                backoff, rollback, increment);
        return new HttpSink(context.name(), context.label(), batchSize,
                context.counters().register(new SinkCounter(context.name())), settings);
    }

    private static URI endpoint(ComponentContext context, String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            context.problem("endpoint", text, "is not a URL: " + e.getMessage(),
                    "write it as http://host:port/path or https://host:port/path");
            return null;
        }
        context.problem("endpoint", text, "must be an http:// or https:// URL with a host",
                "write it as http://host:port/path or https://host:port/path");
        return null;
    }

    private static StatusRules rules(ComponentContext context, String prefix, boolean defaultValue) {
        Map<String, Boolean> overrides = new LinkedHashMap<>();
        context.subProperties(prefix + ".").forEach((code, value) -> {
            String key = prefix + "." + code;
            String normalized = StatusRules.normalize(code);
            if (normalized == null) {
                context.problem(key, value, "'" + code + "' is neither an HTTP status (100-599) nor a class (1XX-5XX)",
                        "write e.g. " + context.fullKey(prefix + ".503") + " or " + context.fullKey(prefix + ".5XX"));
                return;
            }
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                context.problem(key, value, "must be true or false", "set it to true or false");
                return;
            }
            if (overrides.containsKey(normalized)) {
                context.problem(key, value, "repeats " + prefix + "." + normalized, "keep one of the two keys");
                return;
            }
            overrides.put(normalized, Boolean.valueOf(v));
        });
        return new StatusRules(defaultValue, overrides);
    }
}
