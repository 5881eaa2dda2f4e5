package io.sluice.core.registry;

import io.sluice.api.Configurable;
import io.sluice.api.Status;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.core.support.AbstractSink;

/** A component named by class: implements Sink and Configurable, with a public no-arg constructor. */
public final class ConfigurableSink extends AbstractSink implements Configurable {
    public int greeting;

    public ConfigurableSink() {
        super("by-class");
    }

    @Override
    public void configure(ComponentContext context) {
        greeting = context.get(ConfigKey.intKey("greeting", 1, "a number"));
    }

    @Override
    public Status process() {
        return Status.BACKOFF;
    }
}
