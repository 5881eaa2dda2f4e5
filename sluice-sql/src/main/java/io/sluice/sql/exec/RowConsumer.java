package io.sluice.sql.exec;

/** Where an operator sends its output rows. Called under the owning flow's lock. */
@FunctionalInterface
public interface RowConsumer {
    void accept(Object[] row, long time);
}
