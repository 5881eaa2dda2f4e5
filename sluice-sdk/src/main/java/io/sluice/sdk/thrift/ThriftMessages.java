package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Event;
import io.sluice.sdk.wire.WireFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of Apache Flume's {@code ThriftSourceProtocol}, framed:
 * <pre>
 * struct ThriftFlumeEvent { 1: required map&lt;string,string&gt; headers, 2: required binary body }
 * enum Status { OK = 0, FAILED = 1, ERROR = 2, UNKNOWN = 3 }
 * service ThriftSourceProtocol {
 *   Status append(1: ThriftFlumeEvent event),
 *   Status appendBatch(1: list&lt;ThriftFlumeEvent&gt; events) }
 * </pre>
 * A call is a message of type CALL named after the method whose body is the arguments struct; the
 * reply is a REPLY with the same name and sequence id whose struct holds the status in field 0,
 * or an EXCEPTION holding Thrift's application exception (1: message, 2: type). Each message is
 * preceded by its length as a 4-byte big-endian integer (Thrift's framed transport).
 *
 * <p>Stateless and thread-safe.
 */
public final class ThriftMessages {
    public static final String APPEND = "append";
    public static final String APPEND_BATCH = "appendBatch";
    public static final int STATUS_OK = 0;
    public static final int STATUS_FAILED = 1;
    public static final int STATUS_ERROR = 2;
    public static final int STATUS_UNKNOWN = 3;
    /** Thrift application exception types used in answers. */
    public static final int UNKNOWN_METHOD = 1;
    public static final int INVALID_MESSAGE_TYPE = 2;
    public static final int PROTOCOL_ERROR = 7;

    private static final short FIELD_HEADERS = 1;
    private static final short FIELD_BODY = 2;

    private ThriftMessages() {
    }

    /** A decoded call: the events of an {@code append} (one) or {@code appendBatch}; null for another method. */
    public record Call(ThriftProtocol protocol, String method, int seqid, List<Event> events) {
    }

    /** A decoded reply: the status, or the message of the exception the server answered with. */
    public record Reply(int status, String error) {
    }

    public static String statusName(int status) {
        return switch (status) {
            case STATUS_OK -> "OK";
            case STATUS_FAILED -> "FAILED";
            case STATUS_ERROR -> "ERROR";
            case STATUS_UNKNOWN -> "UNKNOWN";
            default -> "status " + status;
        };
    }

    /** A buffer with room for the frame length, which {@link #finishFrame} fills in. */
    public static ByteBuf startFrame(ByteBufAllocator alloc, int estimate) {
        ByteBuf buf = alloc.buffer(Math.max(64, estimate + 4));
        buf.writeInt(0);
        return buf;
    }

    public static ByteBuf finishFrame(ByteBuf frame) {
        frame.setInt(0, frame.writerIndex() - 4);
        return frame;
    }

    /** Bytes an event takes on the wire at most (for sizing buffers; exact for ASCII headers). */
    public static int estimateSize(Event event) {
        int size = event.bodyLength() + 20;
        for (Map.Entry<String, String> h : event.headers().entrySet()) {
            size += h.getKey().length() + h.getValue().length() + 10;
        }
        return size;
    }

    public static void writeAppend(ByteBuf out, ThriftProtocol protocol, int seqid, Event event) {
        ThriftWriter w = protocol.writer(out);
        w.writeMessageBegin(APPEND, ThriftType.CALL, seqid);
        w.writeStructBegin();
        w.writeFieldBegin(ThriftType.STRUCT, (short) 1);
        writeEvent(w, event);
        w.writeFieldStop();
        w.writeStructEnd();
    }

    /** An {@code appendBatch} call carrying {@code events[from, to)}. */
    public static void writeAppendBatch(ByteBuf out, ThriftProtocol protocol, int seqid, List<Event> events, int from,
            int to) {
        ThriftWriter w = protocol.writer(out);
        w.writeMessageBegin(APPEND_BATCH, ThriftType.CALL, seqid);
        w.writeStructBegin();
        w.writeFieldBegin(ThriftType.LIST, (short) 1);
        w.writeListBegin(ThriftType.STRUCT, to - from);
        for (int i = from; i < to; i++) {
            writeEvent(w, events.get(i));
        }
        w.writeFieldStop();
        w.writeStructEnd();
    }

    private static void writeEvent(ThriftWriter w, Event event) {
        w.writeStructBegin();
        w.writeFieldBegin(ThriftType.MAP, FIELD_HEADERS);
        Map<String, String> headers = event.headers();
        w.writeMapBegin(ThriftType.STRING, ThriftType.STRING, headers.size());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            w.writeString(h.getKey());
            w.writeString(h.getValue());
        }
        w.writeFieldBegin(ThriftType.STRING, FIELD_BODY);
        w.writeLength(event.bodyLength());
        w.out.writeBytes(event.bodyBuffer());
        w.writeFieldStop();
        w.writeStructEnd();
    }

    public static void writeReply(ByteBuf out, ThriftProtocol protocol, String method, int seqid, int status) {
        ThriftWriter w = protocol.writer(out);
        w.writeMessageBegin(method, ThriftType.REPLY, seqid);
        w.writeStructBegin();
        w.writeFieldBegin(ThriftType.I32, (short) 0);
        w.writeI32(status);
        w.writeFieldStop();
        w.writeStructEnd();
    }

    /** Thrift's application exception, as servers answer a call they cannot serve. */
    public static void writeException(ByteBuf out, ThriftProtocol protocol, String method, int seqid, int type,
            String message) {
        ThriftWriter w = protocol.writer(out);
        w.writeMessageBegin(method, ThriftType.EXCEPTION, seqid);
        w.writeStructBegin();
        w.writeFieldBegin(ThriftType.STRING, (short) 1);
        w.writeString(message);
        w.writeFieldBegin(ThriftType.I32, (short) 2);
        w.writeI32(type);
        w.writeFieldStop();
        w.writeStructEnd();
    }

    /**
     * The protocol of a message from its first byte: {@code 0x82} compact, {@code 0x80} strict
     * binary, {@code 0x00} the old non-strict binary (a short method name's length).
     *
     * @throws WireFormatException naming what the bytes look like instead
     */
    public static ThriftProtocol detect(ByteBuf message) {
        if (!message.isReadable()) {
            throw new WireFormatException("an empty message");
        }
        int b = message.getUnsignedByte(message.readerIndex());
        if (b == CompactReader.PROTOCOL_ID) {
            return ThriftProtocol.COMPACT;
        }
        if (b == 0x80 || b == 0x00) {
            return ThriftProtocol.BINARY;
        }
        throw new WireFormatException(String.format("a message starting with byte 0x%02x, which is neither the"
                + " compact (0x82) nor the binary (0x80) Thrift protocol", b));
    }

    /**
     * Reads only the header of a call (protocol, method name, sequence id) from the first bytes of
     * a message, leaving {@code message}'s reader index where it was.
     *
     * @throws WireFormatException when the bytes do not start a Thrift call
     */
    public static OversizeCall readCallHeader(ByteBuf message, long declaredBytes, long limit) {
        ByteBuf in = message.duplicate();
        ThriftProtocol protocol = detect(in);
        ThriftReader r = protocol == ThriftProtocol.COMPACT ? new CompactReader(in) : new BinaryReader(in);
        ThriftReader.MessageHeader h = r.readMessageBegin();
        if (h.type() != ThriftType.CALL) {
            throw new WireFormatException("a message of type " + h.type() + " where a call (1) was expected");
        }
        return new OversizeCall(protocol, h.name(), h.seqid(), declaredBytes, limit);
    }

    /** Reads a call from a buffer holding exactly one message (the frame's payload). */
    public static Call readCall(ByteBuf message) {
        ThriftProtocol protocol = detect(message);
        ThriftReader r = protocol == ThriftProtocol.COMPACT ? new CompactReader(message) : new BinaryReader(message);
        ThriftReader.MessageHeader h = r.readMessageBegin();
        if (h.type() != ThriftType.CALL) {
            throw new WireFormatException("a message of type " + h.type() + " where a call (1) was expected");
        }
        boolean batch = APPEND_BATCH.equals(h.name());
        boolean one = APPEND.equals(h.name());
        List<Event> events = null;
        r.readStructBegin();
        for (ThriftReader.Field f = r.readFieldBegin(); f.type() != ThriftType.STOP; f = r.readFieldBegin()) {
            if (batch && f.id() == 1 && f.type() == ThriftType.LIST) {
                ThriftReader.Container c = r.readListBegin();
                if (c.valueType() != ThriftType.STRUCT && c.size() > 0) {
                    throw new WireFormatException("appendBatch's events are a list of "
                            + ThriftType.name(c.valueType()) + ", not of ThriftFlumeEvent structs");
                }
                events = new ArrayList<>(c.size());
                for (int i = 0; i < c.size(); i++) {
                    events.add(readEvent(r));
                }
            } else if (one && f.id() == 1 && f.type() == ThriftType.STRUCT) {
                events = List.of(readEvent(r));
            } else {
                r.skip(f.type());
            }
        }
        r.readStructEnd();
        if ((batch || one) && events == null) {
            throw new WireFormatException(h.name() + " lacks its argument (field 1)");
        }
        return new Call(protocol, h.name(), h.seqid(), events);
    }

    private static Event readEvent(ThriftReader r) {
        Map<String, String> headers = null;
        byte[] body = null;
        r.readStructBegin();
        for (ThriftReader.Field f = r.readFieldBegin(); f.type() != ThriftType.STOP; f = r.readFieldBegin()) {
            if (f.id() == FIELD_HEADERS && f.type() == ThriftType.MAP) {
                ThriftReader.Container c = r.readMapBegin();
                if (c.size() > 0 && (c.keyType() != ThriftType.STRING || c.valueType() != ThriftType.STRING)) {
                    throw new WireFormatException("an event's headers are a map of " + ThriftType.name(c.keyType())
                            + " to " + ThriftType.name(c.valueType()) + ", not of string to string");
                }
                headers = c.size() == 0 ? Collections.emptyMap() : new HashMap<>(c.size() * 2);
                for (int i = 0; i < c.size(); i++) {
                    String k = r.readString();
                    headers.put(k, r.readString());
                }
            } else if (f.id() == FIELD_BODY && f.type() == ThriftType.STRING) {
                body = r.readBinary();
            } else {
                r.skip(f.type());
            }
        }
        r.readStructEnd();
        if (headers == null) {
            throw new WireFormatException("a ThriftFlumeEvent lacks its required field 1 (headers)");
        }
        if (body == null) {
            throw new WireFormatException("a ThriftFlumeEvent lacks its required field 2 (body)");
        }
        return Event.wrap(headers, body);
    }

    /**
     * Reads the reply to the call {@code method} with {@code seqid}.
     *
     * @throws WireFormatException when the bytes are not such a reply
     */
    public static Reply readReply(ByteBuf message, ThriftProtocol protocol, String method, int seqid) {
        ThriftReader r = protocol == ThriftProtocol.COMPACT ? new CompactReader(message) : new BinaryReader(message);
        ThriftReader.MessageHeader h = r.readMessageBegin();
        if (!method.equals(h.name()) || h.seqid() != seqid) {
            throw new WireFormatException("a reply to " + h.name() + "#" + h.seqid() + " where the reply to " + method
                    + "#" + seqid + " was expected");
        }
        r.readStructBegin();
        if (h.type() == ThriftType.EXCEPTION) {
            String text = null;
            int type = 0;
            for (ThriftReader.Field f = r.readFieldBegin(); f.type() != ThriftType.STOP; f = r.readFieldBegin()) {
                if (f.id() == 1 && f.type() == ThriftType.STRING) {
                    text = r.readString();
                } else if (f.id() == 2 && f.type() == ThriftType.I32) {
                    type = r.readI32();
                } else {
                    r.skip(f.type());
                }
            }
            return new Reply(-1, (text == null ? "no message" : text) + " (Thrift application exception type "
                    + type + ")");
        }
        if (h.type() != ThriftType.REPLY) {
            throw new WireFormatException("a message of type " + h.type() + " where a reply (2) was expected");
        }
        Integer status = null;
        for (ThriftReader.Field f = r.readFieldBegin(); f.type() != ThriftType.STOP; f = r.readFieldBegin()) {
            if (f.id() == 0 && f.type() == ThriftType.I32) {
                status = r.readI32();
            } else {
                r.skip(f.type());
            }
        }
        if (status == null) {
            return new Reply(-1, method + " returned no status");
        }
        return new Reply(status, null);
    }
}
