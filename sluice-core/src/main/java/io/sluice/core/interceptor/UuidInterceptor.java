package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Gives every event a random (version 4) UUID, with an optional prefix, in a header, {@code id}
 * by default. Immutable and thread-safe.
 */
public final class UuidInterceptor implements Interceptor {
    private final String headerName;
    private final boolean preserveExisting;
    private final String prefix;

    UuidInterceptor(String headerName, boolean preserveExisting, String prefix) {
        this.headerName = requireNonNull(headerName, "headerName is null");
        this.preserveExisting = preserveExisting;
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    @Override
    public Event intercept(Event event) {
        if (preserveExisting && event.header(headerName) != null) {
            return event;
        }
        return event.withHeader(headerName, prefix + UUID.randomUUID());
    }

    /**
     * {@code uuid} ({@code org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder}). Keys:
     * {@code headerName} ({@code id}), {@code preserveExisting} (true), {@code prefix} (empty).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<String> HEADER_NAME = ConfigKey.stringKey("headerName", "id",
                "Header that receives the UUID.");
        public static final ConfigKey<Boolean> PRESERVE_EXISTING = ConfigKey.boolKey("preserveExisting", true,
                "Keep an id the event already has.");
        public static final ConfigKey<String> PREFIX = ConfigKey.stringKey("prefix", "",
                "Text put in front of each UUID.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "uuid")
                .otherNames("org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder")
                .keys(HEADER_NAME, PRESERVE_EXISTING, PREFIX)
                .description("Adds a header holding a random UUID.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public UuidInterceptor create(ComponentContext context) {
            return new UuidInterceptor(context.get(HEADER_NAME), context.get(PRESERVE_EXISTING),
                    context.get(PREFIX));
        }
    }
}
