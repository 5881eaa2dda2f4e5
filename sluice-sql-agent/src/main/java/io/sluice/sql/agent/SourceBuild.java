package io.sluice.sql.agent;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.text.DidYouMean;
import io.sluice.core.config.ConfigSession;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.registry.ComponentRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Builds one source of a {@code FROM SOURCE} stream the way an agent builds it: the stream's
 * PROPERTIES become the keys of a source named after the stream in a one-source agent called
 * {@value #AGENT}, read through the type's factory. Every problem (a bad value, a missing key, a key
 * the type does not know) is collected, and all are reported at once in the exception's message,
 * each with the key, the rule and the fix. Building has no side effects (nothing is bound or
 * started). Used by one thread.
 */
final class SourceBuild {
    /** The agent name under which stream sources are configured (it appears in log labels). */
    static final String AGENT = "rtsql";

    private static final String BIND = "bind";
    private static final String LOOPBACK = "127.0.0.1";

    private final ComponentRegistry registry;
    private final Path dataDirectory;

    SourceBuild(ComponentRegistry registry, Path dataDirectory) {
        this.registry = requireNonNull(registry, "registry is null");
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
    }

    /**
     * The source of type {@code type} configured by {@code properties}, not started.
     *
     * @throws IllegalArgumentException naming each problem, its key, rule and fix
     */
    Source build(String stream, String type, Map<String, String> properties) {
        ComponentFactory<?> factory = registry.find(ComponentKind.SOURCE, type).orElseThrow(() ->
                new IllegalArgumentException("unknown source type '" + type + "'"
                        + DidYouMean.suggest(type, registry.aliases(ComponentKind.SOURCE))
                        + "; use one of " + registry.aliases(ComponentKind.SOURCE)
                        + ", or the fully qualified name of a source class on the class path"));
        Map<String, String> keys = new LinkedHashMap<>(properties);
        if (!properties.containsKey(BIND) && hasBind(factory)) {
            keys.put(BIND, LOOPBACK);
        }
        keys.put("type", type);
        SingleComponentConfig config = SingleComponentConfig.builder(ComponentKind.SOURCE, stream).agentName(AGENT)
                .origin("stream '" + stream + "'").registry(registry).agentDataDirectory(dataDirectory).keys(keys)
                .build();
        String prefix = config.keyPrefix();
        ConfigSession session = config.session();
        session.markRead(prefix + "type");
        ComponentContext context = config.context();
        Object built;
        try {
            built = factory.create(context);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("source '" + type + "' could not be built from PROPERTIES "
                    + properties + ": " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (ConfigProblem p : session.problems()) {
            problems.add(describe(p, prefix));
        }
        if (!factory.descriptor().keys().isEmpty()) {
            List<String> known = new ArrayList<>();
            for (ConfigKey<?> k : factory.descriptor().keys()) {
                known.add(k.name());
            }
            for (String k : properties.keySet()) {
                if (!session.isRead(prefix + k)) {
                    problems.add("property '" + k + "': source '" + type + "' has no such property; fix: "
                            + DidYouMean.nearest(k, known).map(n -> "did you mean '" + n + "'? ").orElse("")
                            + "use one of " + known);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad PROPERTIES for source '" + type + "': " + String.join("; ", problems));
        }
        if (!(built instanceof Source)) {
            throw new IllegalArgumentException("type '" + type + "' builds a "
                    + (built == null ? "nothing" : built.getClass().getName()) + ", which is not a source");
        }
        return (Source) built;
    }

    /** True if the type has a {@code bind} key (a network source): it then defaults to the loopback. */
    private static boolean hasBind(ComponentFactory<?> factory) {
        for (ConfigKey<?> k : factory.descriptor().keys()) {
            if (k.name().equals(BIND)) {
                return true;
            }
        }
        return false;
    }

    /** {@code property 'port' = '70000': <rule>; fix: <fix>}, keys relative to the stream. */
    private static String describe(ConfigProblem p, String prefix) {
        String key = p.key().startsWith(prefix) ? p.key().substring(prefix.length()) : p.key();
        String fix = p.fix().replace(prefix, "");
        return "property '" + key + "'" + (p.value() == null ? " (missing)" : " = '" + p.value() + "'") + ": "
                + p.rule() + "; fix: " + fix;
    }
}
