package io.sluice.core.source.http;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Configurable;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.SourceKeys;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code http} source ({@code org.apache.flume.source.http.HTTPSource}). Keys, with Apache
 * Flume's names and defaults: {@code bind} (0.0.0.0), {@code port} (required, 1-65535),
 * {@code handler} ({@code org.apache.flume.source.http.JSONHandler}, also {@code json}; or the
 * class name of an {@link HttpEventDecoder}) with its keys under {@code handler.}, and the TLS
 * keys of {@link HttpsSettings}. Sluice adds {@code maxRequestBytes} (4 MiB): larger requests are
 * answered 413 without being buffered.
 */
public final class HttpSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> BIND = SourceKeys.bind("0.0.0.0");
    public static final ConfigKey<Integer> PORT = SourceKeys.PORT;
    public static final String FLUME_JSON_HANDLER = "org.apache.flume.source.http.JSONHandler";
    public static final ConfigKey<String> HANDLER = ConfigKey.stringKey("handler", FLUME_JSON_HANDLER,
            "How request bodies become events: Apache Flume's JSON format (json) or an HttpEventDecoder class.");
    public static final ConfigKey<Integer> MAX_REQUEST_BYTES = ConfigKey.intKey("maxRequestBytes", 4 * 1024 * 1024,
            "Largest request body accepted, in bytes; larger ones are answered 413 (Sluice only).").atLeast(1);

    private static final Set<String> JSON_NAMES = Set.of(FLUME_JSON_HANDLER.toLowerCase(Locale.ROOT), "json", "jsonhandler",
            JsonEventDecoder.class.getName().toLowerCase(Locale.ROOT));

    @Override
    public ComponentKind kind() {
        return ComponentKind.SOURCE;
    }

    @Override
    public String alias() {
        return "http";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.source.http.HTTPSource");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(BIND, PORT, HANDLER, MAX_REQUEST_BYTES));
        keys.addAll(HttpsSettings.KEYS);
        return List.copyOf(keys);
    }

    @Override
    public Source create(ComponentContext context) {
        InetAddress bind = SourceKeys.resolveBind(context, BIND);
        Integer port = context.get(PORT);
        int maxRequestBytes = context.get(MAX_REQUEST_BYTES);
        HttpEventDecoder decoder = decoder(context);
        HttpsSettings.Result https = HttpsSettings.read(context);
        if (bind == null || port == null || decoder == null || !https.ok()) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new HttpSource(context.name(), context.label(), bind, port, maxRequestBytes, decoder, https.ssl(),
                counter, context.clock());
    }

    private static HttpEventDecoder decoder(ComponentContext context) {
        String name = context.get(HANDLER).trim();
        if (JSON_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            return new JsonEventDecoder();
        }
        Object instance;
        try {
            Class<?> c = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
            instance = c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            context.problem(HANDLER.name(), name, "is not a loadable class with a public no-argument constructor ("
                    + e + ")", "use json (Apache Flume's JSONHandler format) or put the handler's jar on the classpath");
            return null;
        }
        if (!(instance instanceof HttpEventDecoder)) {
            context.problem(HANDLER.name(), name, "does not implement " + HttpEventDecoder.class.getName()
                    + (name.startsWith("org.apache.flume.") ? " (Apache Flume handlers other than JSONHandler are"
                    + " not supported)" : ""), "use json, or a class implementing " + HttpEventDecoder.class.getName());
            return null;
        }
        if (instance instanceof Configurable) {
            ((Configurable) instance).configure(context.child(ComponentKind.SOURCE, context.name(), "handler."));
        }
        return (HttpEventDecoder) instance;
    }
}
