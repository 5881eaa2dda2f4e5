package io.sluice.sdk.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.flume.source.avro.AvroSourceProtocol;

/**
 * The local {@code AvroSourceProtocol} (from {@code src/main/avro/AvroSourceProtocol.avdl}): its
 * JSON text and MD5 as used in the Avro IPC handshake, the message names, and the status codes.
 *
 * <p>Immutable constants; thread-safe.
 */
public final class AvroRpcProtocol {
    /**
     * The protocol's JSON text, as Avro prints the protocol generated from the {@code .avdl}
     * ({@code AvroSourceProtocol.PROTOCOL.toString()}; a unit test keeps the two equal). Kept as
     * text so a client can handshake without parsing schemas at start-up.
     */
    public static final String TEXT = "{\"protocol\":\"AvroSourceProtocol\",\"namespace\":\"org.apache.flume.source.avro\",\"types\":[{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"OK\",\"FAILED\",\"UNKNOWN\"]},{\"type\":\"record\",\"name\":\"AvroFlumeEvent\",\"fields\":[{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},{\"name\":\"body\",\"type\":\"bytes\"}]}],\"messages\":{\"append\":{\"request\":[{\"name\":\"event\",\"type\":\"AvroFlumeEvent\"}],\"response\":\"Status\"},\"appendBatch\":{\"request\":[{\"name\":\"events\",\"type\":{\"type\":\"array\",\"items\":\"AvroFlumeEvent\"}}],\"response\":\"Status\"}}}";
    private static final byte[] HASH = md5(TEXT);

    public static final String APPEND = "append";
    public static final String APPEND_BATCH = "appendBatch";

    /** {@code Status} enum symbols in wire order: OK = 0, FAILED = 1, UNKNOWN = 2. */
    public static final int STATUS_OK = 0;
    public static final int STATUS_FAILED = 1;
    public static final int STATUS_UNKNOWN = 2;

    private AvroRpcProtocol() {
    }

    /** The local protocol as parsed by Avro (loaded on first use). */
    public static Protocol protocol() {
        return AvroSourceProtocol.PROTOCOL;
    }

    private static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5, which the Avro handshake needs", e);
        }
    }

    /** A copy of the local protocol's MD5. */
    public static byte[] hash() {
        return HASH.clone();
    }

    public static String statusName(int index) {
        switch (index) {
            case STATUS_OK:
                return "OK";
            case STATUS_FAILED:
                return "FAILED";
            case STATUS_UNKNOWN:
                return "UNKNOWN";
            default:
                return "status #" + index;
        }
    }

    /**
     * Whether a peer's protocol sends {@code append} and {@code appendBatch} with the same request
     * schemas as ours, so requests can be decoded with the local layout. Returns the reason when
     * it does not, or {@code null} when it does.
     */
    public static String incompatibility(Protocol remote) {
        for (String name : new String[] {APPEND, APPEND_BATCH}) {
            Protocol.Message mine = protocol().getMessages().get(name);
            Protocol.Message theirs = remote.getMessages().get(name);
            if (theirs == null) {
                continue; // the peer never sends it
            }
            Schema a = mine.getRequest();
            Schema b = theirs.getRequest();
            if (!sameFields(a, b)) {
                return "message '" + name + "' has request " + b + " but this agent expects " + a;
            }
        }
        return null;
    }

    private static boolean sameFields(Schema a, Schema b) {
        if (a.getFields().size() != b.getFields().size()) {
            return false;
        }
        for (int i = 0; i < a.getFields().size(); i++) {
            if (!a.getFields().get(i).schema().equals(b.getFields().get(i).schema())) {
                return false;
            }
        }
        return true;
    }
}
