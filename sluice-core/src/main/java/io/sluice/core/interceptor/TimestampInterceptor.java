package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Puts the time the event passed through (epoch milliseconds) into a header, {@code timestamp} by
 * default. With {@code preserveExisting} an event that already has the header keeps it.
 * Thread-safe.
 */
public final class TimestampInterceptor implements Interceptor {
    private final String headerName;
    private final boolean preserveExisting;
    private final Clock clock;
    /** The last time stamped, as text; shared by the threads a source calls from (any of them may replace it). */
    private volatile Stamp lastStamp;

    TimestampInterceptor(String headerName, boolean preserveExisting, Clock clock) {
        this.headerName = requireNonNull(headerName, "headerName is null");
        this.preserveExisting = preserveExisting;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Event intercept(Event event) {
        return stamp(event, text(clock.millis()));
    }

    /**
     * Stamps a batch with the time it passes through: the clock is read once per batch, not per event
     * (a batch takes microseconds to stamp), and its events share one string.
     */
    @Override
    public List<Event> intercept(List<Event> events) {
        String now = text(clock.millis());
        List<Event> out = new ArrayList<>(events.size());
        for (int i = 0, n = events.size(); i < n; i++) {
            out.add(stamp(events.get(i), now));
        }
        return out;
    }

    private Event stamp(Event event, String now) {
        if (preserveExisting && event.header(headerName) != null) {
            return event;
        }
        return event.withHeader(headerName, now);
    }

    /** {@code millis} as text; the last one is kept, so events of one millisecond share a string. */
    private String text(long millis) {
        Stamp last = lastStamp;
        if (last != null && last.millis() == millis) {
            return last.text();
        }
        String t = Long.toString(millis);
        lastStamp = new Stamp(millis, t);
        return t;
    }

    private record Stamp(long millis, String text) {
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
                .description("Adds a header holding the time the event's batch was intercepted, in epoch milliseconds.")
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
