/**
 * Scalar and aggregate functions: the plug-in interfaces users implement
 * ({@link io.sluice.sql.function.ScalarFunction}, {@link io.sluice.sql.function.AggregateFunction},
 * found through {@link java.util.ServiceLoader}), the built-in functions, and the registry.
 * Functions are stateless and thread-safe; accumulators belong to one flow.
 */
package io.sluice.sql.function;
