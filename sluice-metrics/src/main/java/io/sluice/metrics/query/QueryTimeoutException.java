package io.sluice.metrics.query;

/** A query that ran past its time limit or was cancelled; its message says which and what to do. */
public final class QueryTimeoutException extends RuntimeException {
    public QueryTimeoutException(String message) {
        super(message);
    }
}
