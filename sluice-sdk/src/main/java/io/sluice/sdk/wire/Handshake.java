package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;

/**
 * The Avro IPC handshake records, encoded by hand:
 * <pre>
 * HandshakeRequest  { fixed MD5 clientHash; union{null,string} clientProtocol; fixed MD5 serverHash;
 *                     union{null,map&lt;bytes&gt;} meta }
 * HandshakeResponse { enum{BOTH,CLIENT,NONE} match; union{null,string} serverProtocol;
 *                     union{null,MD5} serverHash; union{null,map&lt;bytes&gt;} meta }
 * </pre>
 * A stateful connection carries one handshake, in front of its first request and response.
 *
 * <p>Stateless and thread-safe.
 */
public final class Handshake {
    public static final int MATCH_BOTH = 0;
    public static final int MATCH_CLIENT = 1;
    public static final int MATCH_NONE = 2;

    private Handshake() {
    }

    /** A decoded handshake request. {@code clientProtocol} is {@code null} when not sent. */
    public record Request(byte[] clientHash, String clientProtocol, byte[] serverHash) {
    }

    /** A decoded handshake response. {@code serverProtocol} is {@code null} when not sent. */
    public record Response(int match, String serverProtocol) {
    }

    /** Writes a request that always carries the local protocol text, so one round trip suffices. */
    public static void writeRequest(ByteBuf out) {
        out.writeBytes(AvroRpcProtocol.hash());
        AvroBinary.writeInt(out, 1);
        AvroBinary.writeString(out, AvroRpcProtocol.TEXT);
        out.writeBytes(AvroRpcProtocol.hash());
        AvroBinary.writeInt(out, 0);
    }

    public static Request readRequest(ByteBuf in) {
        byte[] clientHash = readMd5(in);
        String clientProtocol = null;
        int u = AvroBinary.readInt(in);
        if (u == 1) {
            clientProtocol = AvroBinary.readString(in);
        } else if (u != 0) {
            throw new WireFormatException("handshake clientProtocol has union branch " + u + " (expected 0 or 1)");
        }
        byte[] serverHash = readMd5(in);
        skipOptionalMeta(in);
        return new Request(clientHash, clientProtocol, serverHash);
    }

    /** Writes a response; for any match but BOTH the local protocol and hash are included. */
    public static void writeResponse(ByteBuf out, int match) {
        AvroBinary.writeInt(out, match);
        if (match == MATCH_BOTH) {
            AvroBinary.writeInt(out, 0);
            AvroBinary.writeInt(out, 0);
        } else {
            AvroBinary.writeInt(out, 1);
            AvroBinary.writeString(out, AvroRpcProtocol.TEXT);
            AvroBinary.writeInt(out, 1);
            out.writeBytes(AvroRpcProtocol.hash());
        }
        AvroBinary.writeInt(out, 0);
    }

    public static Response readResponse(ByteBuf in) {
        int match = AvroBinary.readInt(in);
        if (match < 0 || match > 2) {
            throw new WireFormatException("handshake match " + match + " is not BOTH, CLIENT or NONE");
        }
        String serverProtocol = null;
        int u = AvroBinary.readInt(in);
        if (u == 1) {
            serverProtocol = AvroBinary.readString(in);
        }
        u = AvroBinary.readInt(in);
        if (u == 1) {
            readMd5(in);
        }
        skipOptionalMeta(in);
        return new Response(match, serverProtocol);
    }

    /** Skips a {@code map<bytes>} (call metadata). */
    public static void skipMeta(ByteBuf in) {
        while (true) {
            long count = AvroBinary.readLong(in);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                long size = AvroBinary.readLong(in);
                if (size < 0 || size > in.readableBytes()) {
                    throw new WireFormatException("metadata block size " + size + " exceeds the request");
                }
                in.skipBytes((int) size);
                continue;
            }
            if (count > in.readableBytes() / 2) {
                throw new WireFormatException("metadata block of " + count + " entries cannot fit in the request");
            }
            for (long i = 0; i < count; i++) {
                in.skipBytes(AvroBinary.readLength(in, "metadata key"));
                in.skipBytes(AvroBinary.readLength(in, "metadata value"));
            }
        }
    }

    private static void skipOptionalMeta(ByteBuf in) {
        int u = AvroBinary.readInt(in);
        if (u == 1) {
            skipMeta(in);
        } else if (u != 0) {
            throw new WireFormatException("handshake meta has union branch " + u + " (expected 0 or 1)");
        }
    }

    private static byte[] readMd5(ByteBuf in) {
        if (in.readableBytes() < 16) {
            throw new WireFormatException("truncated handshake: MD5 needs 16 bytes, " + in.readableBytes() + " left");
        }
        byte[] md5 = new byte[16];
        in.readBytes(md5);
        return md5;
    }
}
