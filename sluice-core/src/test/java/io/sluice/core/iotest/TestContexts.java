package io.sluice.core.iotest;

import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.config.SingleComponentConfig;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A real component context (the agent's own configuration session) for one component of agent
 * {@code a1}, built from relative keys, so tests see exactly the problems a user would. A thin
 * test-side name for {@link SingleComponentConfig}.
 */
public final class TestContexts {
    private final SingleComponentConfig config;

    private TestContexts(SingleComponentConfig config) {
        this.config = config;
    }

    /**
     * A context for {@code a1.<kind word>.<name>.} (interceptors: {@code a1.sources.r1.interceptors.<name>.})
     * holding {@code relativeKeys}.
     */
    public static TestContexts of(ComponentKind kind, String name, Map<String, String> relativeKeys, Clock clock) {
        return new TestContexts(SingleComponentConfig.builder(kind, name).keys(relativeKeys).clock(clock).build());
    }

    public static TestContexts of(ComponentKind kind, String name, Map<String, String> relativeKeys) {
        return of(kind, name, relativeKeys, Clock.systemUTC());
    }

    public ComponentContext context() {
        return config.context();
    }

    public List<ConfigProblem> problems() {
        return config.problems();
    }

    public List<String> warnings() {
        return config.warnings();
    }

    public CounterRegistry counters() {
        return config.counters();
    }
}
