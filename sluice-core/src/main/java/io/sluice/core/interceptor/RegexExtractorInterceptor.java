package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Searches the body (as UTF-8) for {@code regex}; on a match, group n goes through the n-th
 * configured serializer into the header that serializer names. Groups beyond the serializers,
 * groups that did not take part in the match and values a serializer rejects set no header.
 * Immutable and thread-safe.
 */
public final class RegexExtractorInterceptor implements Interceptor {
    private final Pattern regex;
    private final List<String> headerNames;
    private final List<ExtractedValueSerializer> serializers;

    RegexExtractorInterceptor(Pattern regex, List<String> headerNames, List<ExtractedValueSerializer> serializers) {
        this.regex = requireNonNull(regex, "regex is null");
        this.headerNames = List.copyOf(headerNames);
        this.serializers = List.copyOf(serializers);
    }

    @Override
    public Event intercept(Event event) {
        Matcher m = regex.matcher(event.bodyAsString());
        if (!m.find()) {
            return event;
        }
        Event.Builder b = null;
        int groups = Math.min(m.groupCount(), serializers.size());
        for (int g = 1; g <= groups; g++) {
            String captured = m.group(g);
            if (captured == null) {
                continue;
            }
            String value = serializers.get(g - 1).serialize(captured);
            if (value != null) {
                if (b == null) {
                    b = event.toBuilder();
                }
                b.header(headerNames.get(g - 1), value);
            }
        }
        return b == null ? event : b.build();
    }

    /**
     * {@code regex_extractor} ({@code org.apache.flume.interceptor.RegexExtractorInterceptor$Builder}).
     * Keys: {@code regex} (required), {@code serializers} (space-separated names), and per
     * serializer {@code serializers.<s>.name} (required), {@code serializers.<s>.type}
     * ({@code default}) and, for millis, {@code serializers.<s>.pattern}.
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<String> REGEX = ConfigKey.stringKey("regex", null,
                "Regular expression whose groups become headers.").required();
        public static final ConfigKey<List<String>> SERIALIZERS = ConfigKey.listKey("serializers", List.of(),
                "Names of the serializers, one per group, in group order.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "regex_extractor")
                .otherNames("org.apache.flume.interceptor.RegexExtractorInterceptor$Builder")
                .keys(REGEX, SERIALIZERS)
                .description("Adds headers from the groups of a regular expression matched against the body.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public RegexExtractorInterceptor create(ComponentContext context) {
            Optional<Pattern> regex = regex(context, REGEX);
            List<String> names = context.get(SERIALIZERS);
            List<String> headers = new ArrayList<>();
            List<ExtractedValueSerializer> serializers = new ArrayList<>();
            boolean ok = regex.isPresent();
            for (String s : names) {
                ComponentContext sc = context.child(ComponentKind.INTERCEPTOR_SERIALIZER, s, "serializers." + s + ".");
                String header = sc.get(ExtractedValueSerializer.NAME);
                ExtractedValueSerializer serializer = ExtractedValueSerializer.create(sc);
                if (header == null || header.isBlank() || serializer == null) {
                    if (header != null && header.isBlank()) {
                        sc.problem(ExtractedValueSerializer.NAME.name(), header, "must not be empty",
                                "set serializers." + s + ".name to the header that receives group "
                                        + (names.indexOf(s) + 1));
                    }
                    ok = false;
                    continue;
                }
                headers.add(header.trim());
                serializers.add(serializer);
            }
            if (ok && regex.get().matcher("").groupCount() < names.size()) {
                context.warn(SERIALIZERS.name(), "lists " + names.size() + " serializers but the regex has only "
                        + regex.get().matcher("").groupCount() + " groups; the extra serializers are never used");
            }
            return ok ? new RegexExtractorInterceptor(regex.get(), headers, serializers) : null;
        }
    }
}
