package io.sluice.core.registry;

import io.sluice.api.Configurable;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.support.AbstractSource;

/** An event-driven source whose start fails, as one whose port is taken would. */
public final class ExplodingSource extends AbstractSource implements EventDrivenSource, Configurable {
    public ExplodingSource() {
        super("exploding");
    }

    @Override
    public void configure(ComponentContext context) {
    }

    @Override
    protected void doStart() {
        throw new IllegalStateException("address already in use");
    }
}
