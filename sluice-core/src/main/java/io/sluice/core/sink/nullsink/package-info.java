/** The {@code null} sink: takes and commits batches, discarding the events. Called by one runner thread. */
package io.sluice.core.sink.nullsink;
