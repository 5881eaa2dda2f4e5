package io.sluice.api;

/**
 * A {@link Transaction} of a durable channel that can name where each event it took sits in the
 * channel. A position is unique among all events the channel ever held (it survives restarts and
 * is never reused), and an event taken again after a rollback or a crash has the same position,
 * so a sink can store the positions of a batch together with its data and later recognise events
 * it already delivered. The file channel implements it; the memory channel cannot (its events
 * do not outlive the process).
 */
public interface PositionedTransaction extends Transaction {

    /**
     * The positions of the events this transaction took so far, in take order, one per event
     * returned by {@link #take()} and {@link #takeBatch}; {@code null} when they cannot be told
     * apart (for example when a damaged event was skipped during the take).
     */
    long[] takenPositions();
}
