/**
 * Feeds rtsql {@code FROM SOURCE 'type' PROPERTIES (...)} streams from the agent's real sources:
 * {@link io.sluice.cli.sql.AgentSourceProvider} builds any source type the component registry knows
 * (built-ins and plugins) from the stream's PROPERTIES, hands its committed batches to the engine,
 * and runs and stops it with the stream. Thread-safe: a provider may open many streams at once;
 * each open source is owned by one {@link io.sluice.cli.sql.RunningSource}.
 */
package io.sluice.cli.sql;
