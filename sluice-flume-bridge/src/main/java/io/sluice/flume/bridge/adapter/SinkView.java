package io.sluice.flume.bridge.adapter;

import io.sluice.api.Sink;
import org.apache.flume.Channel;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.lifecycle.LifecycleState;

import static java.util.Objects.requireNonNull;

/**
 * A Sluice sink as Apache Flume's {@code Sink}, for a Flume sink processor. The agent starts and
 * stops the sink itself, so {@code start}/{@code stop} here do nothing. Called by the sink group's
 * runner thread.
 */
final class SinkView implements org.apache.flume.Sink {
    private final Sink sink;

    SinkView(Sink sink) {
        this.sink = requireNonNull(sink, "sink is null");
    }

    @Override
    public void setChannel(Channel channel) {
        throw new UnsupportedOperationException("the channel of Sluice sink " + sink.name()
                + " is set by the agent configuration");
    }

    @Override
    public Channel getChannel() {
        return sink.getChannel() == null ? null : new ChannelView(sink.getChannel());
    }

    @Override
    public org.apache.flume.Sink.Status process() throws EventDeliveryException {
        try {
            return sink.process() == io.sluice.api.Status.READY ? org.apache.flume.Sink.Status.READY
                    : org.apache.flume.Sink.Status.BACKOFF;
        } catch (io.sluice.api.EventDeliveryException e) {
            throw new EventDeliveryException(e.getMessage(), e);
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    @Override
    public LifecycleState getLifecycleState() {
        return ChannelView.Lifecycles.toFlume(sink.lifecycleState());
    }

    @Override
    public void setName(String name) {
    }

    @Override
    public String getName() {
        return sink.name();
    }

    @Override
    public String toString() {
        return "Sluice sink " + sink.name();
    }
}
