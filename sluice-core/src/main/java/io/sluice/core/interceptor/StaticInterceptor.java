package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;

import static java.util.Objects.requireNonNull;

/** Puts a fixed header on every event. Immutable and thread-safe. */
public final class StaticInterceptor implements Interceptor {
    private final String key;
    private final String value;
    private final boolean preserveExisting;

    StaticInterceptor(String key, String value, boolean preserveExisting) {
        this.key = requireNonNull(key, "key is null");
        this.value = requireNonNull(value, "value is null");
        this.preserveExisting = preserveExisting;
    }

    @Override
    public Event intercept(Event event) {
        if (preserveExisting && event.header(key) != null) {
            return event;
        }
        return event.withHeader(key, value);
    }

    /**
     * {@code static} ({@code org.apache.flume.interceptor.StaticInterceptor$Builder}). Keys:
     * {@code preserveExisting} (true), {@code key} ({@code key}), {@code value} ({@code value}).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<Boolean> PRESERVE_EXISTING = ConfigKey.boolKey("preserveExisting", true,
                "Keep the header when the event already has it.");
        public static final ConfigKey<String> KEY = ConfigKey.stringKey("key", "key", "Header name.");
        public static final ConfigKey<String> VALUE = ConfigKey.stringKey("value", "value", "Header value.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "static")
                .otherNames("org.apache.flume.interceptor.StaticInterceptor$Builder")
                .keys(PRESERVE_EXISTING, KEY, VALUE)
                .description("Adds one fixed header to every event.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public StaticInterceptor create(ComponentContext context) {
            return new StaticInterceptor(context.get(KEY), context.get(VALUE), context.get(PRESERVE_EXISTING));
        }
    }
}
