package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes one Thrift message into a buffer. Only what Apache Flume's protocol needs: message
 * headers, structs, fields, i32, strings, binaries, string maps and lists. One instance per
 * message; not thread-safe.
 */
abstract class ThriftWriter {
    final ByteBuf out;

    ThriftWriter(ByteBuf out) {
        this.out = out;
    }

    abstract void writeMessageBegin(String name, byte type, int seqid);

    abstract void writeStructBegin();

    abstract void writeStructEnd();

    abstract void writeFieldBegin(byte type, short id);

    abstract void writeFieldStop();

    abstract void writeMapBegin(byte keyType, byte valueType, int size);

    abstract void writeListBegin(byte elementType, int size);

    abstract void writeI32(int v);

    abstract void writeLength(int len);

    final void writeString(String s) {
        int len = ByteBufUtil.utf8Bytes(s);
        writeLength(len);
        ByteBufUtil.reserveAndWriteUtf8(out, s, len);
    }

    final void writeBinary(byte[] b, int len) {
        writeLength(len);
        out.writeBytes(b, 0, len);
    }
}
