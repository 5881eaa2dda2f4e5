package io.sluice.core.sinkprocessor;

import io.sluice.api.SinkProcessor;

/**
 * The lifecycle the sink processors share: they hold no resources, so start and stop only record
 * the state.
 */
abstract class StatefulSinkProcessor implements SinkProcessor {
    private volatile State state = State.IDLE;

    @Override
    public final void start() {
        state = State.STARTED;
    }

    @Override
    public final void stop() {
        state = State.STOPPED;
    }

    @Override
    public final State lifecycleState() {
        return state;
    }
}
