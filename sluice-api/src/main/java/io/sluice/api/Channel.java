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
}
