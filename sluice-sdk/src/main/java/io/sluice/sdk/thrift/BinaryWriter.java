package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;

/** Thrift's binary protocol, strict message headers (as Thrift's own writer does by default). */
final class BinaryWriter extends ThriftWriter {
    private static final int VERSION_1 = 0x80010000;

    BinaryWriter(ByteBuf out) {
        super(out);
    }

    @Override
    void writeMessageBegin(String name, byte type, int seqid) {
        out.writeInt(VERSION_1 | type);
        writeString(name);
        out.writeInt(seqid);
    }

    @Override
    void writeStructBegin() {
    }

    @Override
    void writeStructEnd() {
    }

    @Override
    void writeFieldBegin(byte type, short id) {
        out.writeByte(type);
        out.writeShort(id);
    }

    @Override
    void writeFieldStop() {
        out.writeByte(ThriftType.STOP);
    }

    @Override
    void writeMapBegin(byte keyType, byte valueType, int size) {
        out.writeByte(keyType);
        out.writeByte(valueType);
        out.writeInt(size);
    }

    @Override
    void writeListBegin(byte elementType, int size) {
        out.writeByte(elementType);
        out.writeInt(size);
    }

    @Override
    void writeI32(int v) {
        out.writeInt(v);
    }

    @Override
    void writeLength(int len) {
        out.writeInt(len);
    }
}
