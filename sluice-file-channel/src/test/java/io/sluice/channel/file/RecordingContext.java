package io.sluice.channel.file;

import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.CounterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written {@link ComponentContext} for factory tests: keys from a map, problems and warnings
 * recorded in lists. (The real one lives in sluice-core; this module does not depend on it.)
 */
final class RecordingContext implements ComponentContext {
    final Map<String, String> props = new LinkedHashMap<>();
    final List<ConfigProblem> problems = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final CounterRegistry counters = new CounterRegistry();
    private final Path dataDir;

    RecordingContext(Path dataDir, String... keyValues) {
        this.dataDir = dataDir;
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
    }

    @Override
    public String agentName() {
        return "a1";
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.CHANNEL;
    }

    @Override
    public String name() {
        return "c1";
    }

    @Override
    public String keyPrefix() {
        return "a1.channels.c1.";
    }

    @Override
    public <T> T get(ConfigKey<T> key) {
        String raw = props.get(key.name());
        if (raw == null) {
            if (key.isRequired()) {
                problem(key.name(), null, "is required", "set " + key.name());
            }
            return key.defaultValue();
        }
        try {
            return key.parse(raw);
        } catch (ConfigKey.InvalidValueException e) {
            problem(key.name(), raw, e.rule(), e.fix());
            return key.defaultValue();
        }
    }

    @Override
    public Optional<String> raw(String relativeKey) {
        return Optional.ofNullable(props.get(relativeKey));
    }

    @Override
    public Map<String, String> properties() {
        return props;
    }

    @Override
    public Map<String, String> subProperties(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    @Override
    public ComponentContext child(ComponentKind kind, String name, String relativePrefix) {
        throw new UnsupportedOperationException("not used by the file channel");
    }

    @Override
    public void problem(String relativeKey, String value, String rule, String fix) {
        problems.add(new ConfigProblem(fullKey(relativeKey), value, rule, fix));
    }

    @Override
    public void warn(String relativeKey, String message) {
        warnings.add(fullKey(relativeKey) + ": " + message);
    }

    @Override
    public Path dataDirectory() {
        return dataDir;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public CounterRegistry counters() {
        return counters;
    }
}
