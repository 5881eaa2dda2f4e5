package io.sluice.core.interceptor;

import io.sluice.api.ComponentFactory;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The common part of the interceptor factories: checked regular expressions. */
abstract class InterceptorFactory implements ComponentFactory<Interceptor> {

    /**
     * Compiles the regular expression of {@code key}, or reports a problem that says where in the
     * pattern the error is. Empty when the key is missing (and optional) or the pattern is bad.
     */
    static Optional<Pattern> regex(ComponentContext context, ConfigKey<String> key) {
        String value = context.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(value));
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
            context.problem(key.name(), value, "is not a valid regular expression: " + e.getDescription() + where,
                    "fix the pattern (Java regular expression syntax; escape a literal character with \\\\)");
            return Optional.empty();
        }
    }
}
