package io.sluice.sql;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One output row of a flow: its values and its event time. Values are of the Java classes listed
 * in {@link SqlType}, or null. Immutable as far as callers are concerned (a row never changes after
 * it is handed to a listener); thread-safe.
 */
public final class Row {
    private final Object[] values;
    private final long eventTime;

    private Row(Object[] values, long eventTime) {
        this.values = values;
        this.eventTime = eventTime;
    }

    /** A row holding a copy of {@code values}. */
    public static Row of(long eventTime, Object... values) {
        requireNonNull(values, "values is null");
        return new Row(values.clone(), eventTime);
    }

    /**
     * A row that takes ownership of {@code values} without copying. The caller must never change
     * the array afterwards. Meant for the engine's hot path.
     */
    public static Row wrap(long eventTime, Object[] values) {
        return new Row(requireNonNull(values, "values is null"), eventTime);
    }

    public int size() {
        return values.length;
    }

    public Object value(int i) {
        return values[i];
    }

    /** The row's event time, milliseconds since the epoch. */
    public long eventTime() {
        return eventTime;
    }

    /** The values as an unmodifiable list (may contain nulls). */
    public List<Object> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row && ((Row) o).eventTime == eventTime && Arrays.deepEquals(((Row) o).values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values) * 31 + Long.hashCode(eventTime);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values) + "@" + eventTime;
    }
}
