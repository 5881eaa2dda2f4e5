package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;

/**
 * The call part of a request ({@code map<bytes> meta, string messageName}, then the parameters)
 * and of a response ({@code map<bytes> meta, boolean isError}, then the {@code Status} index, or a
 * {@code union{string}} error message).
 *
 * <p>Stateless and thread-safe.
 */
public final class Calls {

    private Calls() {
    }

    /** The outcome of a call as the peer answered it: a status index, or an error text. */
    public record Result(int status, String error) {
    }

    public static void writeRequestHeader(ByteBuf out, String message) {
        AvroBinary.writeLong(out, 0); // empty call metadata
        AvroBinary.writeString(out, message);
    }

    public static void writeStatus(ByteBuf out, int status) {
        AvroBinary.writeLong(out, 0);
        AvroBinary.writeBoolean(out, false);
        AvroBinary.writeInt(out, status);
    }

    public static void writeError(ByteBuf out, String message) {
        AvroBinary.writeLong(out, 0);
        AvroBinary.writeBoolean(out, true);
        AvroBinary.writeInt(out, 0); // the system-error branch: string
        AvroBinary.writeString(out, message);
    }

    public static Result readResult(ByteBuf in) {
        Handshake.skipMeta(in);
        boolean error = AvroBinary.readBoolean(in);
        if (!error) {
            return new Result(AvroBinary.readInt(in), null);
        }
        int branch = AvroBinary.readInt(in);
        if (branch == 0 && in.isReadable()) {
            return new Result(-1, AvroBinary.readString(in));
        }
        return new Result(-1, "error of union branch " + branch);
    }
}
