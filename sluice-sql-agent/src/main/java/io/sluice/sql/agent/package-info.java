/**
 * Feeds rtsql {@code FROM SOURCE 'type' PROPERTIES (...)} streams from the agent's real sources:
 * {@link io.sluice.sql.agent.AgentSourceProvider} builds any source type the component registry knows
 * (built-ins and plugins) from the stream's PROPERTIES, hands its committed batches to the engine,
 * and runs and stops it with the stream. Thread-safe: a provider may open many streams at once;
 * each open source is owned by one {@link io.sluice.sql.agent.RunningSource}.
 */
package io.sluice.sql.agent;
