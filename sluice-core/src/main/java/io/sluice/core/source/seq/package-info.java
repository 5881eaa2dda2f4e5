/**
 * The {@code seq} source: numbers 0, 1, 2, ... as event bodies, for tests and benchmarks. Driven by
 * one pollable source runner thread; not meant to be called concurrently.
 */
package io.sluice.core.source.seq;
