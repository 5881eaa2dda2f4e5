package io.sluice.core.source.http;

/**
 * The http source's protection against slow, stalled and too many clients; see
 * {@link HttpSourceFactory} for the keys and their defaults. Immutable.
 *
 * @param idleTimeoutMillis a connection without a request in progress is closed after this long
 * @param readTimeoutMillis a request must arrive whole within this long of its first byte (else 408)
 * @param requestTimeoutMillis a received request not yet handed to the channel after this long is
 *     answered 503 without being committed, as its sender has probably given up on it
 * @param maxConnections connections beyond this many are closed at once
 * @param maxPendingBytes bytes of unanswered requests held across all connections
 */
record HttpLimits(long idleTimeoutMillis, long readTimeoutMillis, long requestTimeoutMillis, int maxConnections,
        long maxPendingBytes) {
}
