package io.sluice.avro;

import io.sluice.sdk.wire.AvroRpcProtocol;
import io.sluice.sdk.wire.Handshake;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Protocol;

/**
 * The server side of the Avro IPC handshake. A client protocol is known by its MD5 once its text
 * has been seen; texts are parsed once and kept (at most {@value #MAX_KNOWN} of them). A client
 * whose protocol is unknown and was not sent gets {@code NONE} with our protocol, so it resends
 * with its own text, as Avro clients do.
 *
 * <p>Thread-safe: the cache is a concurrent map.
 */
final class ServerHandshake {
    private static final int MAX_KNOWN = 64;

    /** The match to answer and, when the client's requests cannot be read, why. */
    record Outcome(int match, String incompatibility) {
    }

    private final Map<String, String> known = new ConcurrentHashMap<>();

    ServerHandshake() {
        known.put(HexFormat.of().formatHex(AvroRpcProtocol.hash()), "");
    }

    Outcome accept(Handshake.Request req) {
        String key = HexFormat.of().formatHex(req.clientHash());
        String verdict = known.get(key);
        if (verdict == null && req.clientProtocol() != null) {
            verdict = judge(req.clientProtocol());
            if (known.size() < MAX_KNOWN) {
                known.put(key, verdict);
            }
        }
        if (verdict == null) {
            return new Outcome(Handshake.MATCH_NONE, null);
        }
        int match = Arrays.equals(req.serverHash(), AvroRpcProtocol.hash()) ? Handshake.MATCH_BOTH
                : Handshake.MATCH_CLIENT;
        return new Outcome(match, verdict.isEmpty() ? null : verdict);
    }

    private static String judge(String protocolText) {
        try {
            String why = AvroRpcProtocol.incompatibility(Protocol.parse(protocolText));
            return why == null ? "" : why;
        } catch (RuntimeException e) {
            return "its protocol text does not parse: " + e.getMessage();
        }
    }
}
