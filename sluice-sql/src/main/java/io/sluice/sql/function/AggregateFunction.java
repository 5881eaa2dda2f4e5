package io.sluice.sql.function;

import io.sluice.sql.SqlType;

import java.util.List;
import java.util.Locale;

/**
 * A user aggregate function, found like {@link ScalarFunction} through
 * {@code META-INF/services/io.sluice.sql.function.AggregateFunction}. The engine keeps one
 * {@link Accumulator} per (window slice, group) and merges slices for hopping windows, so
 * {@link Accumulator#merge} must be exact. Implementations must be thread-safe.
 */
public interface AggregateFunction {
    String name();

    /** @throws IllegalArgumentException when these argument types cannot be accepted */
    SqlType resultType(List<SqlType> argTypes);

    Accumulator newAccumulator();

    default String signature() {
        return name().toUpperCase(Locale.ROOT) + "(...)";
    }

    /** The running state of one group in one window. Not thread-safe; used by one flow. */
    interface Accumulator {
        /** Adds one row's argument values (any may be null). */
        void add(Object[] args);

        /** Folds {@code other}, an accumulator of the same function, into this one. */
        void merge(Accumulator other);

        Object result();
    }
}
