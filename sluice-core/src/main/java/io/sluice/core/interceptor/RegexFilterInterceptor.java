package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the events whose body (as UTF-8) contains a match of {@code regex}, or, with
 * {@code excludeEvents}, drops them and keeps the rest. Dropping is intended, so it is not logged.
 * Immutable and thread-safe.
 */
public final class RegexFilterInterceptor implements Interceptor {
    private final Pattern regex;
    private final boolean excludeEvents;

    RegexFilterInterceptor(Pattern regex, boolean excludeEvents) {
        this.regex = requireNonNull(regex, "regex is null");
        this.excludeEvents = excludeEvents;
    }

    @Override
    public Event intercept(Event event) {
        boolean found = regex.matcher(event.bodyAsString()).find();
        return found != excludeEvents ? event : null;
    }

    /**
     * {@code regex_filter} ({@code org.apache.flume.interceptor.RegexFilteringInterceptor$Builder}).
     * Keys: {@code regex} ({@code .*}), {@code excludeEvents} (false).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<String> REGEX = ConfigKey.stringKey("regex", ".*",
                "Regular expression searched for in the body.");
        public static final ConfigKey<Boolean> EXCLUDE_EVENTS = ConfigKey.boolKey("excludeEvents", false,
                "true drops matching events; false keeps only matching events.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "regex_filter")
                .otherNames("org.apache.flume.interceptor.RegexFilteringInterceptor$Builder")
                .keys(REGEX, EXCLUDE_EVENTS)
                .description("Keeps or drops events whose body matches a regular expression.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public RegexFilterInterceptor create(ComponentContext context) {
            Optional<Pattern> regex = regex(context, REGEX);
            boolean exclude = context.get(EXCLUDE_EVENTS);
            return regex.map(p -> new RegexFilterInterceptor(p, exclude)).orElse(null);
        }
    }
}
