/**
 * rtsql's {@code CREATE STREAM m FROM METRICS 'selector'}: {@link MetricsStreamProvider} reads the
 * live feed of a {@code metrics} sink's query API ({@code GET /api/v1/stream}) into the engine, one
 * event per stored sample. Classes are thread-safe.
 */
package io.sluice.sql.agent.metrics;
