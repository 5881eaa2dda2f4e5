package io.sluice.sql;

/**
 * Told about the changes a metastore records: streams declared and dropped, flows started and
 * ended. Called synchronously, on the thread making the change, with the engine's lock held for
 * stream changes: implementations must be quick and must not call back into the engine.
 */
public interface CatalogListener {
    /** A stream was declared by {@code statement} (a CREATE STREAM statement that can run again). */
    default void streamCreated(String name, String statement) {
    }

    default void streamDropped(String name) {
    }

    /** Flow {@code id} started from the SELECT {@code statement}. */
    default void flowStarted(long id, String statement) {
    }

    /** Flow {@code id} ended (finished, failed or dropped) and will not run again. */
    default void flowEnded(long id, Flow.State state) {
    }
}
