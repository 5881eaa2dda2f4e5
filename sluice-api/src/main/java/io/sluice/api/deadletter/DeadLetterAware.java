package io.sluice.api.deadletter;

/**
 * A component that can set events or input aside in a dead-letter channel: sinks built on the
 * batch sink base class, sources that reject input, and interceptors with
 * {@code onError = deadLetter}. The agent calls {@link #setDeadLetters} once, before
 * {@code start()}, when the component's {@code deadLetter.channel} key (for an interceptor: its
 * source's) names a channel; otherwise the component keeps its behaviour without one.
 */
public interface DeadLetterAware {

    /** The configuration key naming the dead-letter channel, relative to the component's prefix. */
    String CHANNEL_KEY = "deadLetter.channel";

    /** Gives the component where to put its dead letters. */
    void setDeadLetters(DeadLetters deadLetters);

    /**
     * Whether the component's configuration needs a dead-letter channel to work (an interceptor
     * with {@code onError = deadLetter}); the agent refuses to start when it has none.
     */
    default boolean requiresDeadLetters() {
        return false;
    }
}
