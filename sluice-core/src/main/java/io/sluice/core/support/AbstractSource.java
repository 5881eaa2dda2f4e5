package io.sluice.core.support;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.Source;

import static java.util.Objects.requireNonNull;

/** A source that keeps the channel processor the agent gives it. */
public abstract class AbstractSource extends AbstractComponent implements Source {
    private volatile ChannelProcessor channelProcessor;

    protected AbstractSource(String name) {
        super(name);
    }

    @Override
    public void setChannelProcessor(ChannelProcessor processor) {
        this.channelProcessor = requireNonNull(processor, "processor is null");
    }

    @Override
    public ChannelProcessor getChannelProcessor() {
        ChannelProcessor p = channelProcessor;
        if (p == null) {
            throw new IllegalStateException("source " + name() + " has no channel processor; the agent sets it before start()");
        }
        return p;
    }
}
