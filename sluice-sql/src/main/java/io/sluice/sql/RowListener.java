package io.sluice.sql;

/**
 * Receives the rows of a flow. Called on the thread that drives the flow, one call at a time per
 * flow; implementations must not block for long.
 */
public interface RowListener {
    void onRow(Row row);

    /** The flow ended (its finite input ended, it failed, or it was dropped). Called once. */
    default void onEnd(Flow flow) {
    }
}
