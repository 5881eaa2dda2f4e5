package io.sluice.core.iotest;

import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.config.AgentProperties;
import io.sluice.core.config.ConfigSession;
import io.sluice.core.config.DefaultComponentContext;
import io.sluice.core.registry.ComponentRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a real component context (the agent's own configuration session) for one component of
 * agent {@code a1} from relative keys, so tests see exactly the problems a user would.
 */
public final class TestContexts {
    private final ConfigSession session;
    private final DefaultComponentContext context;

    private TestContexts(ConfigSession session, DefaultComponentContext context) {
        this.session = session;
        this.context = context;
    }

    /**
     * A context for {@code a1.<kind word>.<name>.} (interceptors: {@code a1.sources.r1.interceptors.<name>.})
     * holding {@code relativeKeys}.
     */
    public static TestContexts of(ComponentKind kind, String name, Map<String, String> relativeKeys, Clock clock) {
        String prefix = kind == ComponentKind.INTERCEPTOR ? "a1.sources.r1.interceptors." + name + "."
                : "a1." + kind.configWord() + "." + name + ".";
        Map<String, String> all = new LinkedHashMap<>();
        all.put("a1.sources", "r1");
        relativeKeys.forEach((k, v) -> all.put(prefix + k, v));
        AgentProperties props = AgentProperties.fromMap("a1", all, Map.of(), "test");
        Path data;
        try {
            data = Files.createTempDirectory("sluice-io-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConfigSession session = new ConfigSession(props, ComponentRegistry.standard(), clock, new CounterRegistry(),
                data);
        return new TestContexts(session, new DefaultComponentContext(session, kind, name, prefix));
    }

    public static TestContexts of(ComponentKind kind, String name, Map<String, String> relativeKeys) {
        return of(kind, name, relativeKeys, Clock.systemUTC());
    }

    public ComponentContext context() {
        return context;
    }

    public List<ConfigProblem> problems() {
        return session.problems();
    }

    public List<String> warnings() {
        return session.warnings();
    }

    public CounterRegistry counters() {
        return session.counters();
    }
}
