package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Removes headers: the one named {@code withName}, every one in {@code fromList}, and every one
 * whose whole name matches {@code matching}. Immutable and thread-safe.
 */
public final class RemoveHeaderInterceptor implements Interceptor {
    private final String withName;
    private final Set<String> fromList;
    private final Pattern matching;

    RemoveHeaderInterceptor(String withName, Set<String> fromList, Pattern matching) {
        this.withName = withName;
        this.fromList = Set.copyOf(requireNonNull(fromList, "fromList is null"));
        this.matching = matching;
    }

    @Override
    public Event intercept(Event event) {
        Map<String, String> headers = event.headers();
        if (headers.isEmpty()) {
            return event;
        }
        Map<String, String> kept = new LinkedHashMap<>(headers.size());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey();
            boolean remove = name.equals(withName) || fromList.contains(name)
                    || (matching != null && matching.matcher(name).matches());
            if (!remove) {
                kept.put(name, h.getValue());
            }
        }
        if (kept.size() == headers.size()) {
            return event;
        }
        return Event.wrap(kept, event.body());
    }

    /**
     * {@code remove_header} ({@code org.apache.flume.interceptor.RemoveHeaderInterceptor$Builder}).
     * Keys: {@code withName}, {@code fromList}, {@code fromListSeparator} ({@code \s*,\s*}),
     * {@code matching}; none is required.
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<String> WITH_NAME = ConfigKey.stringKey("withName", null,
                "Name of one header to remove.");
        public static final ConfigKey<String> FROM_LIST = ConfigKey.stringKey("fromList", null,
                "Names of headers to remove, separated by fromListSeparator.");
        public static final ConfigKey<String> FROM_LIST_SEPARATOR = ConfigKey.stringKey("fromListSeparator",
                "\\s*,\\s*", "Regular expression that separates the names in fromList.");
        public static final ConfigKey<String> MATCHING = ConfigKey.stringKey("matching", null,
                "Regular expression; headers whose whole name matches are removed.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "remove_header")
                .otherNames("org.apache.flume.interceptor.RemoveHeaderInterceptor$Builder")
                .keys(WITH_NAME, FROM_LIST, FROM_LIST_SEPARATOR, MATCHING)
                .description("Removes headers by name, list or regular expression.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public RemoveHeaderInterceptor create(ComponentContext context) {
            String withName = context.get(WITH_NAME);
            String fromList = context.get(FROM_LIST);
            Optional<Pattern> separator = regex(context, FROM_LIST_SEPARATOR);
            Optional<Pattern> matching = regex(context, MATCHING);
            if (separator.isEmpty() || (context.get(MATCHING) != null && matching.isEmpty())) {
                return null;
            }
            Set<String> names = fromList == null || fromList.isBlank() ? Set.of()
                    : Set.of(separator.get().split(fromList.trim()));
            return new RemoveHeaderInterceptor(withName, names, matching.orElse(null));
        }
    }
}
