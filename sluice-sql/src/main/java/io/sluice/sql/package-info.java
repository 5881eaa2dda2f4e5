/**
 * The embedded rtsql engine: {@link io.sluice.sql.RtsqlEngine} takes statements and runs flows
 * whose rows callers subscribe to. Value classes ({@link io.sluice.sql.Row},
 * {@link io.sluice.sql.Column}, {@link io.sluice.sql.SqlType}, ...) are immutable and thread-safe;
 * {@link io.sluice.sql.RtsqlEngine} and {@link io.sluice.sql.Flow} are thread-safe.
 */
package io.sluice.sql;
