/**
 * Property tests: the same events, delivered in different ways (read from a file, pushed row by
 * row, pushed as raw events in batches of random sizes from changing threads, and re-ordered within
 * the slack), give identical results — the same rows with the same event times, no late events.
 *
 * <p>Not thread-safe: each test owns its engines.
 */
package io.sluice.sql.property;
