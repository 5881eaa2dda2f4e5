/**
 * The {@code exec} source: runs a command and turns each line of its standard output into an
 * event, in batches. A full channel makes the source retry the batch and stop reading, so the
 * child blocks on its pipe instead of losing lines. Standard error is logged. Each run uses its own
 * threads (stdout reader, stderr reader, batcher); the source object itself is thread-safe.
 */
package io.sluice.core.source.exec;
