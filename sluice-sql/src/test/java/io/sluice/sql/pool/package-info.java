/** Test-only probes into flows running on the flow pool. Thread-safe. */
package io.sluice.sql.pool;
