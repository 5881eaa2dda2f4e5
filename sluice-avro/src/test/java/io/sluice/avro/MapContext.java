package io.sluice.avro;

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

/** A hand-written component context over a map of relative keys, collecting problems. */
final class MapContext implements ComponentContext {
    private final ComponentKind kind;
    private final String name;
    private final Map<String, String> props;
    final List<ConfigProblem> problems = new ArrayList<>();
    final CounterRegistry counters = new CounterRegistry();

    MapContext(ComponentKind kind, String name, String... kv) {
        this.kind = kind;
        this.name = name;
        this.props = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
    }

    @Override
    public String agentName() {
        return "a1";
    }

    @Override
    public ComponentKind kind() {
        return kind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String keyPrefix() {
        return "a1." + kind.configWord() + "." + name + ".";
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
    public ComponentContext child(ComponentKind childKind, String childName, String relativePrefix) {
        throw new UnsupportedOperationException("not needed by avro components");
    }

    @Override
    public void problem(String relativeKey, String value, String rule, String fix) {
        problems.add(new ConfigProblem(fullKey(relativeKey), value, rule, fix));
    }

    @Override
    public void warn(String relativeKey, String message) {
    }

    @Override
    public Path dataDirectory() {
        throw new UnsupportedOperationException("not needed by avro components");
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
