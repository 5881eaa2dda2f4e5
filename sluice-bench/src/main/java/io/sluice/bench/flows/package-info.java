/**
 * The {@code flows} scenario: 100 rtsql flows at once on one server over one agent's tee. Not
 * thread-safe: one run at a time.
 */
package io.sluice.bench.flows;
