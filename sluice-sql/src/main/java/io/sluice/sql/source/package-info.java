/**
 * The built-in provider of {@code FROM SOURCE} streams: {@code seq}, so that the engine runs a
 * flow over an endless or finite source with nothing else on the class path. Every other source type
 * ({@code netcat}, {@code http}, {@code exec}, ...) is the agent's own source, provided by the
 * {@code sluice-sql-agent} module. Thread-safe; each opened source runs on its own daemon thread until
 * closed.
 */
package io.sluice.sql.source;
