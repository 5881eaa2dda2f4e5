package io.sluice.core.agent;

import io.sluice.api.Configurable;
import io.sluice.api.Status;
import io.sluice.api.UpstreamAware;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigProblem;
import io.sluice.core.support.AbstractSink;
import java.util.ArrayList;
import java.util.List;

/** A sink named by class that records the wiring the agent hands it and refuses any fan-in. */
public final class UpstreamSink extends AbstractSink implements Configurable, UpstreamAware {
    public static final List<Upstream> SEEN = new ArrayList<>();

    public UpstreamSink() {
        super("upstream");
    }

    @Override
    public void configure(ComponentContext context) {
    }

    @Override
    public List<ConfigProblem> connectUpstream(Upstream upstream) {
        SEEN.add(upstream);
        if (upstream.feeders().size() > 1) {
            return List.of(new ConfigProblem(upstream.sinkKeyPrefix() + "type", "fan-in",
                    "fed by " + upstream.feeders().size() + " sources", "feed it from one"));
        }
        return List.of();
    }

    @Override
    public Status process() {
        return Status.BACKOFF;
    }
}
