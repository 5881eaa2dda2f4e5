package io.sluice.avro;

/**
 * How many connections an {@code avro} source admits ({@code maxConnections}) and how many bytes of
 * partly received requests it holds across all of them ({@code maxPendingBytes}); a connection past
 * either is closed and counted. Immutable.
 */
public record AvroConnectionLimits(int maxConnections, long maxPendingBytes) {
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final long DEFAULT_MAX_PENDING_BYTES = 256L << 20;
    public static final AvroConnectionLimits DEFAULT = new AvroConnectionLimits(DEFAULT_MAX_CONNECTIONS,
            DEFAULT_MAX_PENDING_BYTES);

    public AvroConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
        }
        if (maxPendingBytes < 1) {
            throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: > 0)");
        }
    }
}
