/**
 * End-to-end tests of dead-letter channels with a real agent process: poison events interleaved
 * with good ones, set aside by a source, an interceptor and a sink while the good ones are
 * delivered, then read back with {@code sluice channel inspect --dead-letters}. Each test owns its
 * processes and directories.
 */
package io.sluice.e2e.deadletter;
