package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import io.sluice.sdk.wire.WireFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Reads one Thrift message from a buffer holding exactly that message (one frame). Every length
 * and container size is checked against the bytes left before anything is allocated, so a
 * malformed or hostile message fails with a {@link WireFormatException} naming what was wrong.
 * Nesting is limited to {@value #MAX_DEPTH} levels. One instance per message; not thread-safe.
 */
abstract class ThriftReader {
    static final int MAX_DEPTH = 64;

    final ByteBuf in;

    ThriftReader(ByteBuf in) {
        this.in = in;
    }

    /** The header of a message. */
    record MessageHeader(String name, byte type, int seqid) {
    }

    /** A field's type (one of {@link ThriftType}) and id; type {@link ThriftType#STOP} ends a struct. */
    record Field(byte type, short id) {
    }

    /** A container's element types and size; {@code keyType} is 0 for lists and sets. */
    record Container(byte keyType, byte valueType, int size) {
    }

    abstract MessageHeader readMessageBegin();

    abstract void readStructBegin();

    abstract void readStructEnd();

    abstract Field readFieldBegin();

    abstract Container readMapBegin();

    abstract Container readListBegin();

    abstract boolean readBool();

    abstract byte readByte();

    abstract short readI16();

    abstract int readI32();

    abstract long readI64();

    abstract double readDouble();

    /** The length of the string or binary that follows. */
    abstract int readLength();

    final byte[] readBinary() {
        int len = checkedLength(readLength(), "binary");
        byte[] b = new byte[len];
        in.readBytes(b);
        return b;
    }

    final String readString() {
        int len = checkedLength(readLength(), "string");
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    final int checkedLength(int len, String what) {
        if (len < 0) {
            throw new WireFormatException("a " + what + " declares a negative length " + len);
        }
        if (len > in.readableBytes()) {
            throw new WireFormatException("a " + what + " declares " + len + " bytes but only " + in.readableBytes()
                    + " are left in the message");
        }
        return len;
    }

    /** Checks that {@code size} elements of at least one byte each can still be in the message. */
    final int checkedSize(int size, String what) {
        if (size < 0) {
            throw new WireFormatException("a " + what + " declares a negative size " + size);
        }
        if (size > in.readableBytes()) {
            throw new WireFormatException("a " + what + " declares " + size + " elements but only "
                    + in.readableBytes() + " bytes are left in the message");
        }
        return size;
    }

    final void skip(byte type) {
        skip(type, 0);
    }

    private void skip(byte type, int depth) {
        if (depth > MAX_DEPTH) {
            throw new WireFormatException("values nested more than " + MAX_DEPTH + " levels deep");
        }
        switch (type) {
            case ThriftType.BOOL -> readBool();
            case ThriftType.BYTE -> readByte();
            case ThriftType.I16 -> readI16();
            case ThriftType.I32 -> readI32();
            case ThriftType.I64 -> readI64();
            case ThriftType.DOUBLE -> readDouble();
            case ThriftType.STRING -> in.skipBytes(checkedLength(readLength(), "string"));
            case ThriftType.STRUCT -> {
                readStructBegin();
                for (Field f = readFieldBegin(); f.type() != ThriftType.STOP; f = readFieldBegin()) {
                    skip(f.type(), depth + 1);
                }
                readStructEnd();
            }
            case ThriftType.MAP -> {
                Container c = readMapBegin();
                for (int i = 0; i < c.size(); i++) {
                    skip(c.keyType(), depth + 1);
                    skip(c.valueType(), depth + 1);
                }
            }
            case ThriftType.LIST, ThriftType.SET -> {
                Container c = readListBegin();
                for (int i = 0; i < c.size(); i++) {
                    skip(c.valueType(), depth + 1);
                }
            }
            default -> throw new WireFormatException("unknown Thrift type code " + type);
        }
    }
}
