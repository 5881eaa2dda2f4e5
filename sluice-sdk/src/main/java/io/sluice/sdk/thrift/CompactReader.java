package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import io.sluice.sdk.wire.WireFormatException;

/**
 * Thrift's compact protocol: zigzag varints for numbers, field ids as deltas packed with the type
 * into one byte, booleans inside the field header, small list sizes inside the list header.
 */
final class CompactReader extends ThriftReader {
    static final int PROTOCOL_ID = 0x82;
    static final int VERSION = 1;

    private final short[] lastFieldIds = new short[MAX_DEPTH + 1];
    private int depth;
    private short lastFieldId;
    /** The value of a boolean field, carried in its header; null when no boolean field is pending. */
    private Boolean pendingBool;

    CompactReader(ByteBuf in) {
        super(in);
    }

    @Override
    MessageHeader readMessageBegin() {
        int id = readByte() & 0xff;
        if (id != PROTOCOL_ID) {
            throw new WireFormatException(String.format("compact protocol id 0x%02x is not 0x82", id));
        }
        int versionAndType = readByte() & 0xff;
        if ((versionAndType & 0x1f) != VERSION) {
            throw new WireFormatException("compact protocol version " + (versionAndType & 0x1f) + " is not 1");
        }
        byte type = (byte) ((versionAndType >> 5) & 0x07);
        int seqid = readVarint32();
        return new MessageHeader(readString(), type, seqid);
    }

    @Override
    void readStructBegin() {
        if (depth >= MAX_DEPTH) {
            throw new WireFormatException("structs nested more than " + MAX_DEPTH + " levels deep");
        }
        lastFieldIds[depth++] = lastFieldId;
        lastFieldId = 0;
    }

    @Override
    void readStructEnd() {
        lastFieldId = lastFieldIds[--depth];
    }

    @Override
    Field readFieldBegin() {
        int b = readByte() & 0xff;
        if (b == 0) {
            return new Field(ThriftType.STOP, (short) 0);
        }
        int ctype = b & 0x0f;
        int delta = b >>> 4;
        short id = delta == 0 ? readI16() : (short) (lastFieldId + delta);
        lastFieldId = id;
        byte type = toType(ctype);
        if (ctype == 1 || ctype == 2) {
            pendingBool = ctype == 1;
        }
        return new Field(type, id);
    }

    @Override
    Container readMapBegin() {
        int size = checkedSize(readVarint32(), "map");
        if (size == 0) {
            return new Container(ThriftType.STOP, ThriftType.STOP, 0);
        }
        int kv = readByte() & 0xff;
        return new Container(toType(kv >>> 4), toType(kv & 0x0f), size);
    }

    @Override
    Container readListBegin() {
        int b = readByte() & 0xff;
        int size = b >>> 4;
        if (size == 15) {
            size = readVarint32();
        }
        return new Container((byte) 0, toType(b & 0x0f), checkedSize(size, "list"));
    }

    @Override
    boolean readBool() {
        if (pendingBool != null) {
            boolean v = pendingBool;
            pendingBool = null;
            return v;
        }
        return readByte() == 1;
    }

    @Override
    byte readByte() {
        if (!in.isReadable()) {
            throw new WireFormatException("the message ends in the middle of a value");
        }
        return in.readByte();
    }

    @Override
    short readI16() {
        return (short) zigzag(readVarint32());
    }

    @Override
    int readI32() {
        return zigzag(readVarint32());
    }

    @Override
    long readI64() {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = readByte();
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (result >>> 1) ^ -(result & 1);
            }
        }
        throw new WireFormatException("a varint is longer than 10 bytes");
    }

    @Override
    double readDouble() {
        if (in.readableBytes() < 8) {
            throw new WireFormatException("the message ends in the middle of a value");
        }
        return Double.longBitsToDouble(in.readLongLE());
    }

    @Override
    int readLength() {
        return readVarint32();
    }

    private int readVarint32() {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte();
            result |= (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new WireFormatException("a varint is longer than 5 bytes");
    }

    private static int zigzag(int n) {
        return (n >>> 1) ^ -(n & 1);
    }

    private static byte toType(int ctype) {
        return switch (ctype) {
            case 0 -> ThriftType.STOP;
            case 1, 2 -> ThriftType.BOOL;
            case 3 -> ThriftType.BYTE;
            case 4 -> ThriftType.I16;
            case 5 -> ThriftType.I32;
            case 6 -> ThriftType.I64;
            case 7 -> ThriftType.DOUBLE;
            case 8 -> ThriftType.STRING;
            case 9 -> ThriftType.LIST;
            case 10 -> ThriftType.SET;
            case 11 -> ThriftType.MAP;
            case 12 -> ThriftType.STRUCT;
            default -> throw new WireFormatException("unknown compact type code " + ctype);
        };
    }
}
