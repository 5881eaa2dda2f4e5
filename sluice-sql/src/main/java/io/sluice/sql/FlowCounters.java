package io.sluice.sql;

/**
 * A snapshot of a flow's counters. Immutable and thread-safe.
 *
 * @param eventsIn         events read from the flow's input streams
 * @param rowsOut          rows the flow emitted
 * @param rejected         events rejected by the parser (a line that is not a record of the format, a
 *                         NOT NULL or timestamp column that did not parse, invalid UTF-8)
 * @param late             events that arrived after every window they belong to had closed
 * @param arithmeticErrors integer overflows and divisions by zero; each made a value NULL
 * @param dropped          events of a live input (a NODE stream's tee) the flow never saw because
 *                         its queue on the flow pool stayed full; not part of {@code eventsIn}
 */
public record FlowCounters(long eventsIn, long rowsOut, long rejected, long late, long arithmeticErrors,
        long dropped) {
    /** Counters without drops. */
    public FlowCounters(long eventsIn, long rowsOut, long rejected, long late, long arithmeticErrors) {
        this(eventsIn, rowsOut, rejected, late, arithmeticErrors, 0);
    }

    /** Counters without arithmetic errors. */
    public FlowCounters(long eventsIn, long rowsOut, long rejected, long late) {
        this(eventsIn, rowsOut, rejected, late, 0, 0);
    }

    /** These counters with {@code n} dropped events. */
    public FlowCounters withDropped(long n) {
        return new FlowCounters(eventsIn, rowsOut, rejected, late, arithmeticErrors, n);
    }
}
