package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Replaces every match of {@code searchPattern} in the body (decoded with {@code charset}) by
 * {@code replaceString}, in which {@code $1} refers to a group. Headers are untouched. Immutable
 * and thread-safe.
 */
public final class SearchReplaceInterceptor implements Interceptor {
    private final Pattern search;
    private final String replacement;
    private final Charset charset;

    SearchReplaceInterceptor(Pattern search, String replacement, Charset charset) {
        this.search = requireNonNull(search, "search is null");
        this.replacement = requireNonNull(replacement, "replacement is null");
        this.charset = requireNonNull(charset, "charset is null");
    }

    @Override
    public Event intercept(Event event) {
        String body = new String(event.body(), charset);
        Matcher m = search.matcher(body);
        if (!m.find()) {
            return event;
        }
        String replaced = m.replaceAll(replacement);
        return Event.wrap(event.headers(), replaced.getBytes(charset));
    }

    /**
     * {@code search_replace} ({@code org.apache.flume.interceptor.SearchAndReplaceInterceptor$Builder}).
     * Keys: {@code searchPattern} (required), {@code replaceString} (required, may be empty),
     * {@code charset} (UTF-8).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<String> SEARCH_PATTERN = ConfigKey.stringKey("searchPattern", null,
                "Regular expression to search the body for.").required();
        public static final ConfigKey<String> REPLACE_STRING = ConfigKey.stringKey("replaceString", null,
                "Replacement; $1 inserts group 1. May be empty to delete the matches.").required();
        public static final ConfigKey<String> CHARSET = ConfigKey.stringKey("charset", "UTF-8",
                "Character set of the body.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "search_replace")
                .otherNames("org.apache.flume.interceptor.SearchAndReplaceInterceptor$Builder")
                .keys(SEARCH_PATTERN, REPLACE_STRING, CHARSET)
                .description("Replaces what a regular expression matches in the body.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public SearchReplaceInterceptor create(ComponentContext context) {
            Optional<Pattern> search = regex(context, SEARCH_PATTERN);
            String replace = context.get(REPLACE_STRING);
            Charset charset = charset(context, CHARSET);
            if (search.isEmpty() || replace == null || charset == null) {
                return null;
            }
            try {
                search.get().matcher("").replaceAll(replace);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                context.problem(REPLACE_STRING.name(), replace, "is not a valid replacement: " + e.getMessage(),
                        "refer only to groups the pattern has, and write a literal $ or \\ as \\$ or \\\\");
                return null;
            }
            return new SearchReplaceInterceptor(search.get(), replace, charset);
        }
    }

    static Charset charset(ComponentContext context, ConfigKey<String> key) {
        String name = context.get(key);
        try {
            return Charset.forName(name.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            context.problem(key.name(), name, "is not a character set this JVM supports",
                    "use a charset name such as UTF-8, ISO-8859-1 or US-ASCII");
            return null;
        }
    }
}
