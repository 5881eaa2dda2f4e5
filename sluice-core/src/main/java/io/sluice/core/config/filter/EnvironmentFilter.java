package io.sluice.core.config.filter;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The {@code env} filter: the key names an environment variable. Immutable. */
final class EnvironmentFilter implements ConfigFilter {
    private final Map<String, String> environment;

    EnvironmentFilter(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public String lookup(String key) throws FilterException {
        String v = environment.get(key);
        if (v == null) {
            throw new FilterException("looks up environment variable '" + key + "', which is not set",
                    "export " + key + " before starting the agent");
        }
        return v;
    }
}
