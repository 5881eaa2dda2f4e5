package io.sluice.sql;

/**
 * A snapshot of a flow's counters. Immutable and thread-safe.
 *
 * @param eventsIn events read from the flow's input streams
 * @param rowsOut  rows the flow emitted
 * @param rejected events rejected by the parser (a NOT NULL column that did not parse)
 * @param late     events that arrived after every window they belong to had closed
 */
public record FlowCounters(long eventsIn, long rowsOut, long rejected, long late) {
}
