package io.sluice.core.support;

import io.sluice.api.Component;

import static java.util.Objects.requireNonNull;

/**
 * A named component with a lifecycle state: {@link #start()} and {@link #stop()} are idempotent,
 * synchronized, and call {@link #doStart()} / {@link #doStop()} once each. A failing start leaves
 * the component in {@code ERROR}.
 */
public abstract class AbstractComponent implements Component {
    private final String name;
    private volatile State state = State.IDLE;

    protected AbstractComponent(String name) {
        this.name = requireNonNull(name, "name is null");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final synchronized void start() {
        if (state == State.STARTED) {
            return;
        }
        state = State.STARTING;
        try {
            doStart();
            state = State.STARTED;
        } catch (RuntimeException | Error e) {
            state = State.ERROR;
            throw e;
        }
    }

    @Override
    public final synchronized void stop() {
        if (state == State.STOPPED || state == State.IDLE) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPING;
        try {
            doStop();
        } finally {
            state = State.STOPPED;
        }
    }

    @Override
    public final State lifecycleState() {
        return state;
    }

    protected void doStart() {
    }

    protected void doStop() {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
