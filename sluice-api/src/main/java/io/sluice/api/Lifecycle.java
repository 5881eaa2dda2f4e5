package io.sluice.api;

/** Something that is started and stopped by the agent. */
public interface Lifecycle {

    enum State { IDLE, STARTING, STARTED, STOPPING, STOPPED, ERROR }

    void start();

    void stop();

    State lifecycleState();
}
