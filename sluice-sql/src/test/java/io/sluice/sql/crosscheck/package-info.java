/**
 * Cross-checks of windowed aggregates and joins: the engine's rows over seeded random events are
 * compared with the same query computed independently by an embedded SQL database (H2), which
 * builds the windows with {@code GROUP BY ts / W} and the join ranges with {@code BETWEEN}.
 *
 * <p>Not thread-safe: each test owns its engine and its in-memory database.
 */
package io.sluice.sql.crosscheck;
