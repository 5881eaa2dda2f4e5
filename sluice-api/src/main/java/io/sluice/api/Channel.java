package io.sluice.api;

/**
 * A buffer between sources and sinks. All access goes through {@link Transaction}s, so an event
 * is either in the channel or delivered, never lost in between.
 *
 * <p>Implementations are thread-safe: many threads may each hold their own transaction.
 */
public interface Channel extends Component {

    /** A new transaction in state NEW, owned by the calling thread. */
    Transaction getTransaction();

    /**
     * Asks the channel to run {@code listener} after each commit that put events, on the committing
     * thread, once the events can be taken. Sink runners use it to end a back-off wait as soon as
     * there is something to take. The listener must be quick and must not block. Returns false when
     * the channel cannot tell (the default); then the runner only polls.
     */
    default boolean addPutCommitListener(Runnable listener) {
        return false;
    }

    /** Removes a listener added with {@link #addPutCommitListener}; does nothing when it is not there. */
    default void removePutCommitListener(Runnable listener) {
    }
}
