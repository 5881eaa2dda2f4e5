/**
 * Helpers for end-to-end tests that run real processes: {@link io.sluice.e2e.support.ChildProcess}
 * (start a JVM, collect its output, wait for a line, SIGTERM or kill -9 it),
 * {@link io.sluice.e2e.support.SluiceCli} (run the built Sluice distribution),
 * {@link io.sluice.e2e.support.FlumePeer} (run a real Apache Flume 1.11 agent),
 * {@link io.sluice.e2e.support.Ports}, {@link io.sluice.e2e.support.Http} and
 * {@link io.sluice.e2e.support.MetricsJson}. The API is shared by every e2e test package; keep it
 * stable (add, do not change). {@code ChildProcess} is thread-safe (its output is collected by
 * reader threads); the other classes are stateless.
 */
package io.sluice.e2e.support;
