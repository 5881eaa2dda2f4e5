package io.sluice.core.config;

import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.registry.ComponentRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@link ComponentContext} of one component (or nested part) while an agent is built. Reads go
 * to the session's substituted keys and are remembered, so keys nobody read can be reported as
 * unknown. Not thread-safe, like its {@link ConfigSession}.
 */
public final class DefaultComponentContext implements ComponentContext {
    private final ConfigSession session;
    private final ComponentKind kind;
    private final String name;
    private final String keyPrefix;
    private final String dataWord;

    public DefaultComponentContext(ConfigSession session, ComponentKind kind, String name, String keyPrefix) {
        this(session, kind, name, keyPrefix, kind.configWord());
    }

    private DefaultComponentContext(ConfigSession session, ComponentKind kind, String name, String keyPrefix,
            String dataWord) {
        this.session = requireNonNull(session, "session is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.name = requireNonNull(name, "name is null");
        this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix is null");
        this.dataWord = dataWord;
    }

    /** The registry of the session behind {@code context}, or the standard one for foreign contexts. */
    /** The problems reported so far in {@code context}'s configuration session (0 for another context). */
    public static int problemCount(ComponentContext context) {
        return context instanceof DefaultComponentContext d ? d.session().problems().size() : 0;
    }

    public static ComponentRegistry registryOf(ComponentContext context) {
        if (context instanceof DefaultComponentContext) {
            return ((DefaultComponentContext) context).session.registry();
        }
        return ComponentRegistry.standard();
    }

    public ConfigSession session() {
        return session;
    }

    @Override
    public String agentName() {
        return session.agentName();
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
        return keyPrefix;
    }

    @Override
    public <T> T get(ConfigKey<T> key) {
        String full = fullKey(key.name());
        session.markRead(full);
        String raw = session.properties().all().get(full);
        if (raw == null) {
            if (key.isRequired()) {
                session.problem(full, null, "is required", "set " + full + " to " + key.typeName()
                        + (key.doc().isEmpty() ? "" : " (" + key.doc() + ")"));
            }
            return key.defaultValue();
        }
        try {
            return key.parse(raw);
        } catch (ConfigKey.InvalidValueException e) {
            String fix = e.fix().replace("set " + key.name() + " ", "set " + full + " ");
            session.problem(full, raw, e.rule(), fix);
            return key.defaultValue();
        }
    }

    @Override
    public Optional<String> raw(String relativeKey) {
        String full = fullKey(relativeKey);
        session.markRead(full);
        return Optional.ofNullable(session.properties().all().get(full));
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : session.properties().all().entrySet()) {
            if (e.getKey().startsWith(keyPrefix)) {
                out.put(e.getKey().substring(keyPrefix.length()), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public Map<String, String> subProperties(String prefix) {
        String full = keyPrefix + prefix;
        session.markPrefixRead(full);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : session.properties().all().entrySet()) {
            if (e.getKey().startsWith(full)) {
                out.put(e.getKey().substring(full.length()), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public ComponentContext child(ComponentKind childKind, String childName, String relativePrefix) {
        return new DefaultComponentContext(session, childKind, childName, keyPrefix + relativePrefix,
                dataWord + "/" + name + "/" + childKind.configWord());
    }

    @Override
    public void problem(String relativeKey, String value, String rule, String fix) {
        session.problem(fullKey(relativeKey), value, rule, fix);
    }

    @Override
    public void warn(String relativeKey, String message) {
        session.warn(fullKey(relativeKey) + ": " + message);
    }

    @Override
    public Path dataDirectory() {
        Path dir = session.dataDirectory().resolve(dataWord).resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir + " for " + keyPrefix
                    + ": check permissions of " + session.dataDirectory(), e);
        }
        return dir;
    }

    @Override
    public Clock clock() {
        return session.clock();
    }

    @Override
    public CounterRegistry counters() {
        return session.counters();
    }

    @Override
    public String toString() {
        return "[" + label() + "]";
    }
}
