package io.sluice.metrics.query;

/** A query that cannot be parsed or run; the message says where and what was expected. */
public final class QueryException extends RuntimeException {
    public QueryException(String message) {
        super(message);
    }
}
