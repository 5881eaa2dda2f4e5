package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * Puts the time the event passed through (epoch milliseconds) into a header, {@code timestamp} by
 * default. With {@code preserveExisting} an event that already has the header keeps it.
 * Immutable and thread-safe.
 */
public final class TimestampInterceptor implements Interceptor {
    private final String headerName;
    private final boolean preserveExisting;
    private final Clock clock;

    TimestampInterceptor(String headerName, boolean preserveExisting, Clock clock) {
        this.headerName = requireNonNull(headerName, "headerName is null");
        this.preserveExisting = preserveExisting;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Event intercept(Event event) {
        if (preserveExisting && event.header(headerName) != null) {
            return event;
        }
        return event.toBuilder().header(headerName, Long.toString(clock.millis())).build();
    }

    /**
     * {@code timestamp} ({@code org.apache.flume.interceptor.TimestampInterceptor$Builder}). Keys:
     * {@code preserveExisting} (false), {@code headerName} ({@code timestamp}).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<Boolean> PRESERVE_EXISTING = ConfigKey.boolKey("preserveExisting", false,
                "Keep a timestamp header the event already has.");
        public static final ConfigKey<String> HEADER_NAME = ConfigKey.stringKey("headerName", "timestamp",
                "Header that receives the time in epoch milliseconds.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "timestamp")
                .otherNames("org.apache.flume.interceptor.TimestampInterceptor$Builder")
                .keys(PRESERVE_EXISTING, HEADER_NAME)
                .description("Adds a header holding the time the event was intercepted, in epoch milliseconds.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public TimestampInterceptor create(ComponentContext context) {
            return new TimestampInterceptor(context.get(HEADER_NAME), context.get(PRESERVE_EXISTING),
                    context.clock());
        }
    }
}
