package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary encoding of {@code AvroFlumeEvent {map<string> headers; bytes body;}} and of
 * {@code array<AvroFlumeEvent>}, straight between {@link Event}s and Netty buffers. Decoding copies
 * each body once into the event's own array and checks every count and length against the bytes
 * received.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventCodec {
    /** An event takes at least two bytes: an empty header map and an empty body. */
    private static final int MIN_EVENT_BYTES = 2;

    private EventCodec() {
    }

    public static void writeEvent(ByteBuf out, Event event) {
        Map<String, String> headers = event.headers();
        if (!headers.isEmpty()) {
            AvroBinary.writeLong(out, headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                AvroBinary.writeString(out, h.getKey());
                AvroBinary.writeString(out, h.getValue());
            }
        }
        AvroBinary.writeLong(out, 0);
        int len = event.bodyLength();
        AvroBinary.writeLong(out, len);
        if (len > 0) {
            out.ensureWritable(len);
            if (out.hasArray()) {
                event.copyBodyTo(out.array(), out.arrayOffset() + out.writerIndex());
                out.writerIndex(out.writerIndex() + len);
            } else {
                out.writeBytes(event.bodyBuffer());
            }
        }
    }

    /** Writes {@code events[from, to)} as one array block. */
    public static void writeBatch(ByteBuf out, List<Event> events, int from, int to) {
        int n = to - from;
        if (n > 0) {
            AvroBinary.writeLong(out, n);
            for (int i = from; i < to; i++) {
                writeEvent(out, events.get(i));
            }
        }
        AvroBinary.writeLong(out, 0);
    }

    public static Event readEvent(ByteBuf in) {
        Map<String, String> headers = Collections.emptyMap();
        int count = AvroBinary.readBlockCount(in, 2, "header map");
        if (count > 0) {
            headers = new LinkedHashMap<>(Math.max(4, count * 2));
            while (count > 0) {
                for (int i = 0; i < count; i++) {
                    String key = AvroBinary.readString(in);
                    headers.put(key, AvroBinary.readString(in));
                }
                count = AvroBinary.readBlockCount(in, 2, "header map");
            }
        }
        int len = AvroBinary.readLength(in, "body");
        byte[] body = new byte[len];
        in.readBytes(body);
        return Event.wrap(headers, body);
    }

    public static List<Event> readBatch(ByteBuf in) {
        int count = AvroBinary.readBlockCount(in, MIN_EVENT_BYTES, "event array");
        List<Event> events = new ArrayList<>(count);
        while (count > 0) {
            for (int i = 0; i < count; i++) {
                events.add(readEvent(in));
            }
            count = AvroBinary.readBlockCount(in, MIN_EVENT_BYTES, "event array");
        }
        return events;
    }

    /** Bytes an event takes on the wire, for sizing buffers (exact for ASCII headers). */
    public static int estimateSize(Event event) {
        int size = event.bodyLength() + 12;
        for (Map.Entry<String, String> h : event.headers().entrySet()) {
            size += h.getKey().length() + h.getValue().length() + 4;
        }
        return size;
    }

}
