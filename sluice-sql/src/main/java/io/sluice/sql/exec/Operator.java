package io.sluice.sql.exec;

/**
 * The contract every physical operator keeps. A flow calls its operators from one thread at a time
 * (under the flow's lock), in topological order for {@link #advance} and {@link #finish}, so an
 * operator sees the rows its upstream emits on a watermark before it sees the watermark itself.
 * Operators push their output to the {@link RowConsumer} they were built with.
 */
public interface Operator {
    /** Adds one input row (values in the input's column order) with its event time. */
    void add(int port, Object[] row, long time);

    /** The watermark moved to {@code watermark}: close what ends at or before it. */
    default void advance(long watermark) {
    }

    /** Every input ended: emit what remains. */
    default void finish() {
    }

    /**
     * The earliest event time of an input row whose contribution this operator still holds, not yet
     * emitted ({@link Long#MAX_VALUE} when it holds none); operators that keep no state hold none.
     */
    default long heldFrom() {
        return Long.MAX_VALUE;
    }

    /** Releases state; called once, after finish or when the flow is dropped. */
    default void close() {
    }
}
