package io.sluice.sdk.wire;

/**
 * Bytes received from a peer do not follow the Avro RPC wire format (a bad varint, a length
 * beyond the frame, an unknown message, a frame above the configured limit). The connection that
 * sent them is closed; nothing from the bad request is delivered.
 */
public class WireFormatException extends RuntimeException {
    public WireFormatException(String message) {
        super(message);
    }
}
