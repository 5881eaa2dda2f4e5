package io.sluice.sql.function;

import io.sluice.sql.SqlType;

import java.util.List;
import java.util.Locale;

/**
 * A scalar function callable from rtsql. Built-in functions implement it, and so can users: list
 * the implementing class in {@code META-INF/services/io.sluice.sql.function.ScalarFunction} and put
 * the jar on the class path; the engine finds it through {@link java.util.ServiceLoader}.
 * Implementations must be thread-safe (one instance serves every flow) and have a public no-argument
 * constructor.
 */
public interface ScalarFunction {
    /** The name queries call it by; case-insensitive. */
    String name();

    /**
     * The type of the result for arguments of these types.
     *
     * @throws IllegalArgumentException with a message saying what arguments are expected, when
     *                                  these cannot be accepted
     */
    SqlType resultType(List<SqlType> argTypes);

    /**
     * The types the arguments are converted to before {@link #call}; by default, the types they
     * have. Only widening conversions are applied.
     */
    default List<SqlType> argumentTypes(List<SqlType> argTypes) {
        return argTypes;
    }

    /** Computes the result; arguments are values of the types given by {@link #argumentTypes}, or null. */
    Object call(Object[] args);

    /** False if the result may differ between calls with the same arguments. */
    default boolean deterministic() {
        return true;
    }

    /** How it is called, for SHOW FUNCTIONS and DESCRIBE, e.g. {@code UPPER(STRING) -> STRING}. */
    default String signature() {
        return name().toUpperCase(Locale.ROOT) + "(...)";
    }
}
