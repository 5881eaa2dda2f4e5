package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;

/** Thrift's compact protocol (see {@link CompactReader}). */
final class CompactWriter extends ThriftWriter {
    private final short[] lastFieldIds = new short[ThriftReader.MAX_DEPTH + 1];
    private int depth;
    private short lastFieldId;

    CompactWriter(ByteBuf out) {
        super(out);
    }

    @Override
    void writeMessageBegin(String name, byte type, int seqid) {
        out.writeByte(CompactReader.PROTOCOL_ID);
        out.writeByte(CompactReader.VERSION | (type << 5));
        writeVarint32(seqid);
        writeString(name);
    }

    @Override
    void writeStructBegin() {
        lastFieldIds[depth++] = lastFieldId;
        lastFieldId = 0;
    }

    @Override
    void writeStructEnd() {
        lastFieldId = lastFieldIds[--depth];
    }

    @Override
    void writeFieldBegin(byte type, short id) {
        int ctype = toCompact(type);
        if (id > lastFieldId && id - lastFieldId <= 15) {
            out.writeByte(((id - lastFieldId) << 4) | ctype);
        } else {
            out.writeByte(ctype);
            writeVarint32((id << 1) ^ (id >> 31));
        }
        lastFieldId = id;
    }

    @Override
    void writeFieldStop() {
        out.writeByte(0);
    }

    @Override
    void writeMapBegin(byte keyType, byte valueType, int size) {
        if (size == 0) {
            out.writeByte(0);
            return;
        }
        writeVarint32(size);
        out.writeByte((toCompact(keyType) << 4) | toCompact(valueType));
    }

    @Override
    void writeListBegin(byte elementType, int size) {
        if (size < 15) {
            out.writeByte((size << 4) | toCompact(elementType));
        } else {
            out.writeByte(0xf0 | toCompact(elementType));
            writeVarint32(size);
        }
    }

    @Override
    void writeI32(int v) {
        writeVarint32((v << 1) ^ (v >> 31));
    }

    @Override
    void writeLength(int len) {
        writeVarint32(len);
    }

    private void writeVarint32(int n) {
        while ((n & ~0x7f) != 0) {
            out.writeByte((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.writeByte(n);
    }

    private static int toCompact(byte type) {
        return switch (type) {
            case ThriftType.BOOL -> 1;
            case ThriftType.BYTE -> 3;
            case ThriftType.I16 -> 4;
            case ThriftType.I32 -> 5;
            case ThriftType.I64 -> 6;
            case ThriftType.DOUBLE -> 7;
            case ThriftType.STRING -> 8;
            case ThriftType.LIST -> 9;
            case ThriftType.SET -> 10;
            case ThriftType.MAP -> 11;
            case ThriftType.STRUCT -> 12;
            default -> throw new IllegalArgumentException("no compact code for Thrift type " + type);
        };
    }
}
