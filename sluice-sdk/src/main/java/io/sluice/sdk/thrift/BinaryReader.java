package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import io.sluice.sdk.wire.WireFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Thrift's binary protocol: big-endian fixed-width numbers, an {@code int} length before strings
 * and containers. Reads strict message headers ({@code 0x8001} version word) and the old
 * non-strict ones (name length first) as Thrift's own reader does by default.
 */
final class BinaryReader extends ThriftReader {
    private static final int VERSION_MASK = 0xffff0000;
    private static final int VERSION_1 = 0x80010000;

    BinaryReader(ByteBuf in) {
        super(in);
    }

    @Override
    MessageHeader readMessageBegin() {
        int first = readI32();
        if (first < 0) {
            if ((first & VERSION_MASK) != VERSION_1) {
                throw new WireFormatException(String.format("binary protocol version 0x%08x is not 0x8001xxxx",
                        first));
            }
            String name = readString();
            return new MessageHeader(name, (byte) (first & 0xff), readI32());
        }
        int len = checkedLength(first, "message name");
        String name = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        byte type = readByte();
        return new MessageHeader(name, type, readI32());
    }

    @Override
    void readStructBegin() {
    }

    @Override
    void readStructEnd() {
    }

    @Override
    Field readFieldBegin() {
        byte type = readByte();
        if (type == ThriftType.STOP) {
            return new Field(ThriftType.STOP, (short) 0);
        }
        return new Field(type, readI16());
    }

    @Override
    Container readMapBegin() {
        byte k = readByte();
        byte v = readByte();
        return new Container(k, v, checkedSize(readI32(), "map"));
    }

    @Override
    Container readListBegin() {
        byte e = readByte();
        return new Container((byte) 0, e, checkedSize(readI32(), "list"));
    }

    @Override
    boolean readBool() {
        return readByte() != 0;
    }

    @Override
    byte readByte() {
        need(1);
        return in.readByte();
    }

    @Override
    short readI16() {
        need(2);
        return in.readShort();
    }

    @Override
    int readI32() {
        need(4);
        return in.readInt();
    }

    @Override
    long readI64() {
        need(8);
        return in.readLong();
    }

    @Override
    double readDouble() {
        need(8);
        return in.readDouble();
    }

    @Override
    int readLength() {
        return readI32();
    }

    private void need(int n) {
        if (in.readableBytes() < n) {
            throw new WireFormatException("the message ends in the middle of a value");
        }
    }
}
