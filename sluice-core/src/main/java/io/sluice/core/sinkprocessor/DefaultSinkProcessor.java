package io.sluice.core.sinkprocessor;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import java.util.List;

/** Runs exactly one sink. Used for a sink in no group and for {@code processor.type = default}. */
public final class DefaultSinkProcessor extends StatefulSinkProcessor {
    private volatile Sink sink;

    public DefaultSinkProcessor() {
    }

    public DefaultSinkProcessor(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void setSinks(List<Sink> sinks) {
        if (sinks.size() != 1) {
            throw new IllegalArgumentException("the default sink processor runs exactly one sink, got " + sinks.size());
        }
        this.sink = sinks.get(0);
    }

    @Override
    public Status process() throws EventDeliveryException {
        return sink.process();
    }
}
