package io.sluice.core.source.support;

import io.sluice.api.PollableSource;
import io.sluice.core.support.AbstractSource;

import static java.util.Objects.requireNonNull;

/**
 * A source driven by a runner thread whose backoff comes from Apache Flume's pollable-source keys
 * ({@link PollBackoff}); subclasses implement {@code process()}. Thread-safety is the subclass's.
 */
public abstract class AbstractPollableSource extends AbstractSource implements PollableSource {
    private final PollBackoff backoff;

    protected AbstractPollableSource(String name, PollBackoff backoff) {
        super(name);
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    @Override
    public final long backOffSleepIncrementMillis() {
        return backoff.incrementMillis();
    }

    @Override
    public final long maxBackOffSleepMillis() {
        return backoff.maxMillis();
    }
}
