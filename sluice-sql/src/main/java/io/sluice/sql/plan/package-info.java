/**
 * The logical plan: immutable nodes (scan, filter, project, windowed aggregate, windowed join) and
 * the stream definitions they read. Thread-safe.
 */
package io.sluice.sql.plan;
