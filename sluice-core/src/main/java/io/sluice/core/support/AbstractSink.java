package io.sluice.core.support;

import io.sluice.api.Channel;
import io.sluice.api.Sink;

import static java.util.Objects.requireNonNull;

/** A sink that keeps the channel the agent gives it. */
public abstract class AbstractSink extends AbstractComponent implements Sink {
    private volatile Channel channel;

    protected AbstractSink(String name) {
        super(name);
    }

    @Override
    public void setChannel(Channel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    @Override
    public Channel getChannel() {
        Channel c = channel;
        if (c == null) {
            throw new IllegalStateException("sink " + name() + " has no channel; the agent sets it before start()");
        }
        return c;
    }
}
