/**
 * The threads that drive pollable sources and sink processors, with Apache Flume's backoff: after
 * {@code BACKOFF} a runner waits an increment longer each time up to a maximum; after an error it
 * waits the maximum. Each runner owns one thread; start and stop are thread-safe.
 */
package io.sluice.core.runner;
