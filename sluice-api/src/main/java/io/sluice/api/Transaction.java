package io.sluice.api;

import java.util.List;

/**
 * A unit of work against one {@link Channel}: {@code begin}, any number of {@code put}s and/or
 * {@code take}s, then {@code commit} or {@code rollback}, then {@code close}.
 *
 * <pre>{@code
 * try (Transaction tx = channel.getTransaction()) {
 *     tx.begin();
 *     tx.put(event);
 *     tx.commit();
 * } // close() rolls back a transaction that was begun and neither committed nor rolled back
 * }</pre>
 *
 * <p>Owned by the thread that created it; calls from another thread, or in the wrong state, fail
 * with an {@link IllegalStateException} whose message names the state.
 */
public interface Transaction extends AutoCloseable {

    enum State { NEW, OPEN, COMMITTED, ROLLED_BACK, CLOSED }

    void begin();

    /**
     * Stages {@code event} for the channel. Fails with {@link ChannelFullException} when the
     * transaction would exceed its capacity, or the channel stayed full for its keep-alive.
     */
    void put(Event event);

    /** Stages every event of {@code events}, in order. */
    default void putAll(List<Event> events) {
        for (Event e : events) {
            put(e);
        }
    }

    /** Takes the next event, or returns {@code null} when the channel is empty. */
    Event take();

    /**
     * Takes up to {@code max} events into {@code out}, in channel order, and returns how many were
     * taken (0 when the channel is empty).
     */
    default int takeBatch(int max, List<? super Event> out) {
        int n = 0;
        while (n < max) {
            Event e = take();
            if (e == null) {
                break;
            }
            out.add(e);
            n++;
        }
        return n;
    }

    /**
     * Makes the staged puts visible and the staged takes permanent. When it throws, the
     * transaction is still OPEN and must be rolled back.
     */
    void commit();

    /** Discards the staged puts; staged takes return to the head of the channel. */
    void rollback();

    State state();

    /** Ends the transaction; one that is still OPEN is rolled back first. */
    @Override
    void close();
}
