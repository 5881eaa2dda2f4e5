package io.sluice.core.source.http;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Configurable;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.config.DefaultComponentContext;
import io.sluice.core.source.support.SourceKeys;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code http} source ({@code org.apache.flume.source.http.HTTPSource}). Keys, with Apache
 * Flume's names and defaults: {@code bind} (0.0.0.0), {@code port} (required, 1-65535),
 * {@code handler} ({@code org.apache.flume.source.http.JSONHandler}, also {@code json}; or the
 * class name of an {@link HttpEventDecoder}, or of an Apache Flume {@code HTTPSourceHandler}
 * installed in {@code plugins.d}) with its keys under {@code handler.}, and the TLS
 * keys of {@link HttpsSettings}. Sluice adds limits against hostile or broken clients:
 * <ul>
 * <li>{@code maxRequestBytes} (4 MiB): larger requests are answered 413 without being buffered</li>
 * <li>{@code idleTimeout} (60000 ms): a connection without a request in progress is closed</li>
 * <li>{@code readTimeout} (30000 ms): a request must arrive whole within this long of its first
 * byte, or it is answered 408 and the connection closed</li>
 * <li>{@code requestTimeout} (30000 ms): a request that waited this long before reaching the
 * channel is answered 503 without being committed</li>
 * <li>{@code maxConnections} (1000): connections beyond this are closed when accepted</li>
 * <li>{@code maxPendingBytes} (64 MiB): bytes of unanswered requests across all connections; a
 * request beyond it is answered 503 and its connection closed</li>
 * </ul>
 * When {@code bind} is absent the source listens on every interface, as Apache Flume's does, and
 * says so in a warning.
 */
public final class HttpSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> BIND = SourceKeys.bind("0.0.0.0");
    public static final ConfigKey<Integer> PORT = SourceKeys.PORT;
    public static final String FLUME_JSON_HANDLER = "org.apache.flume.source.http.JSONHandler";
    public static final ConfigKey<String> HANDLER = ConfigKey.stringKey("handler", FLUME_JSON_HANDLER,
            "How request bodies become events: Apache Flume's JSON format (json), an HttpEventDecoder class, or an"
                    + " Apache Flume HTTPSourceHandler class from plugins.d.");
    public static final ConfigKey<Integer> MAX_REQUEST_BYTES = ConfigKey.intKey("maxRequestBytes", 4 * 1024 * 1024,
            "Largest request body accepted, in bytes; larger ones are answered 413 (Sluice only).").atLeast(1);

    public static final ConfigKey<Long> IDLE_TIMEOUT = ConfigKey.longKey("idleTimeout", 60_000L,
            "Milliseconds a connection may stay open without a request in progress (Sluice only).").atLeast(1);
    public static final ConfigKey<Long> READ_TIMEOUT = ConfigKey.longKey("readTimeout", 30_000L,
            "Milliseconds from a request's first byte to its last; a slower request is answered 408 and its"
                    + " connection closed (Sluice only).").atLeast(1);
    public static final ConfigKey<Long> REQUEST_TIMEOUT = ConfigKey.longKey("requestTimeout", 30_000L,
            "Milliseconds a received request may wait for the channel; after that it is answered 503 without"
                    + " being committed (Sluice only).").atLeast(1);
    public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.intKey("maxConnections", 1000,
            "Most open connections; more are closed when accepted and counted (Sluice only).").atLeast(1);
    public static final ConfigKey<Long> MAX_PENDING_BYTES = ConfigKey.longKey("maxPendingBytes", 64L * 1024 * 1024,
            "Most bytes of unanswered requests held across all connections; a request beyond it is answered 503"
                    + " (Sluice only).").atLeast(1);

    private static final Set<String> JSON_NAMES = Set.of(FLUME_JSON_HANDLER.toLowerCase(Locale.ROOT), "json", "jsonhandler",
            JsonEventDecoder.class.getName().toLowerCase(Locale.ROOT));

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "http")
            .otherNames("org.apache.flume.source.http.HTTPSource")
            .keys(BIND, PORT, HANDLER, MAX_REQUEST_BYTES, IDLE_TIMEOUT, READ_TIMEOUT, REQUEST_TIMEOUT,
                    MAX_CONNECTIONS, MAX_PENDING_BYTES)
            .keys(HttpsSettings.KEYS)
            .description("Accepts events in HTTP POST requests, decoded by a handler (JSON by default).")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        InetAddress bind = SourceKeys.resolveBind(context, BIND);
        Integer port = context.get(PORT);
        int maxRequestBytes = context.get(MAX_REQUEST_BYTES);
        HttpLimits limits = new HttpLimits(context.get(IDLE_TIMEOUT), context.get(READ_TIMEOUT),
                context.get(REQUEST_TIMEOUT), context.get(MAX_CONNECTIONS), context.get(MAX_PENDING_BYTES));
        if (context.raw(BIND.name()).isEmpty()) {
            context.warn(BIND.name(), "is not set, so the http source listens on every interface (0.0.0.0), as"
                    + " Apache Flume's does; set bind = 127.0.0.1 (or the one interface its clients use) unless"
                    + " other hosts must reach it");
        }
        HttpEventDecoder decoder = decoder(context);
        HttpsSettings.Result https = HttpsSettings.read(context);
        if (bind == null || port == null || decoder == null || !https.ok()) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new HttpSource(context.name(), context.label(), bind, port, maxRequestBytes, limits, decoder,
                https.ssl(),
                counter, context.clock());
    }

    private static HttpEventDecoder decoder(ComponentContext context) {
        String name = context.get(HANDLER).trim();
        if (JSON_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            return new JsonEventDecoder();
        }
        Object instance = null;
        Throwable loadError = null;
        try {
            Class<?> c = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
            instance = c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            loadError = e;
        }
        if (!(instance instanceof HttpEventDecoder)) {
            // a plugin's handler (plugins.d, e.g. an Apache Flume HTTPSourceHandler), adapted by a resolver
            int before = DefaultComponentContext.problemCount(context);
            Optional<HttpEventDecoder> plugin = DefaultComponentContext.registryOf(context)
                    .part(HttpEventDecoder.class, name, context, HANDLER.name());
            if (plugin.isPresent() || DefaultComponentContext.problemCount(context) > before) {
                return plugin.orElse(null);
            }
        }
        if (loadError != null) {
            context.problem(HANDLER.name(), name, "is not a loadable class with a public no-argument constructor ("
                    + loadError + ")", "use json (Apache Flume's JSONHandler format) or put the handler's jar on the"
                    + " classpath or in plugins.d");
            return null;
        }
        if (!(instance instanceof HttpEventDecoder)) {
            context.problem(HANDLER.name(), name, "does not implement " + HttpEventDecoder.class.getName(),
                    "use json, or a class implementing " + HttpEventDecoder.class.getName());
            return null;
        }
        if (instance instanceof Configurable) {
            ((Configurable) instance).configure(context.child(ComponentKind.SOURCE, context.name(), "handler."));
        }
        return (HttpEventDecoder) instance;
    }
}
