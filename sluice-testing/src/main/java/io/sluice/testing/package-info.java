/**
 * Shared test fixtures: a hand-moved clock, a sink that records what it took (and can be told to
 * fail), a pollable source that emits a script of batches, an embedded agent with helpers to await
 * counters, and free local ports. Each class states its own thread-safety.
 */
package io.sluice.testing;
