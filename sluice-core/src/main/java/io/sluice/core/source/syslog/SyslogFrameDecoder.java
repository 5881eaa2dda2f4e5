package io.sluice.core.source.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Cuts a TCP byte stream into syslog messages. A message that starts with a digit uses RFC 6587
 * octet counting ({@code LENGTH SP MESSAGE}; one {@code \n} ending the counted bytes is dropped, as
 * rsyslog does); any other is ended by {@code \n} (non-transparent framing, as Apache Flume reads
 * it; empty lines are skipped). A message longer than
 * {@code eventSize} bytes is cut there and marked incomplete; with newline framing the rest is
 * read as the next message (as in Flume), with octet counting the rest of the counted message is
 * skipped.
 *
 * <p>After each read it tells its {@link Progress} whether a message ended in it and whether an
 * unfinished one is held (the bytes of a newline or octet-counted message not yet complete, or
 * the rest of a cut octet-counted message still to skip), so the connection's read timeout can
 * run. Bytes of an unfinished message left when the connection closes are handed to
 * {@code partialDropped}.
 *
 * <p>One instance per connection, on its event loop; not thread-safe.
 */
final class SyslogFrameDecoder extends ByteToMessageDecoder {
    /** Told after every read what was decoded; see {@code ConnectionTimeouts.progress}. */
    @FunctionalInterface
    interface Progress {
        void progress(boolean completedSome, boolean partialLeft);
    }

    private final int eventSize;
    private final Progress progress;
    private final IntConsumer partialDropped;
    /** Bytes of an octet-counted message still to skip after it was cut. */
    private long skip;
    private int framesThisRead;
    /** Where the readable bytes of a direct buffer are copied to be cut; grows to the largest read. */
    private byte[] scratch = new byte[8192];

    SyslogFrameDecoder(int eventSize) {
        this(eventSize, (completedSome, partialLeft) -> { }, bytes -> { });
    }

    SyslogFrameDecoder(int eventSize, Progress progress, IntConsumer partialDropped) {
        if (eventSize < 1) {
            throw new IllegalArgumentException("eventSize: " + eventSize + " (expected: > 0)");
        }
        this.eventSize = eventSize;
        this.progress = requireNonNull(progress, "progress is null");
        this.partialDropped = requireNonNull(partialDropped, "partialDropped is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        framesThisRead = 0;
        super.channelRead(ctx, msg);
        ByteBuf held = internalBuffer();
        progress.progress(framesThisRead > 0, skip > 0 || (held != null && held.isReadable()));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (in.isReadable()) {
            int dropped = in.readableBytes();
            in.skipBytes(dropped);
            partialDropped.accept(dropped);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = in.readableBytes();
        if (n == 0) {
            return;
        }
        // One bulk copy per call, then plain array scans: far cheaper than a checked ByteBuf
        // access per byte or per frame.
        byte[] a;
        int base;
        if (in.hasArray()) {
            a = in.array();
            base = in.arrayOffset() + in.readerIndex();
        } else {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            in.getBytes(in.readerIndex(), scratch, 0, n);
            a = scratch;
            base = 0;
        }
        int end = base + n;
        int p = base;
        while (p < end) {
            if (skip > 0) {
                int k = (int) Math.min(skip, end - p);
                p += k;
                skip -= k;
                continue;
            }
            byte first = a[p];
            if (first == '\n') {
                p++;
                continue;
            }
            int next = first >= '0' && first <= '9' ? counted(a, p, end, out) : delimited(a, p, end, out);
            if (next < 0) {
                break; // wait for more bytes
            }
            p = next;
            framesThisRead++;
        }
        in.skipBytes(p - base);
    }

    /** Cuts one octet-counted message at {@code start}; returns where the next one starts, or -1 to wait. */
    private int counted(byte[] a, int start, int end, List<Object> out) {
        int sp = indexOf(a, start, Math.min(end, start + 11), (byte) ' ');
        if (sp < 0) {
            if (end - start > 10) {
                return delimited(a, start, end, out); // not a length after all: read it as a line
            }
            return -1;
        }
        long length = 0;
        for (int i = start; i < sp; i++) {
            byte b = a[i];
            if (b < '0' || b > '9') {
                return delimited(a, start, end, out);
            }
            length = length * 10 + (b - '0');
        }
        int keep = (int) Math.min(length, eventSize);
        int from = sp + 1;
        if (end - from < keep) {
            return -1;
        }
        // One trailing LF is not part of the message (rsyslog's RFC 5424 template ends with one and
        // its octet-counted forwarding counts it; rsyslog drops it on reception too).
        int body = keep == length && keep > 0 && a[from + keep - 1] == '\n' ? keep - 1 : keep;
        out.add(new SyslogFrame(Arrays.copyOfRange(a, from, from + body), length > eventSize));
        skip = length - keep;
        return from + keep;
    }

    /** Cuts one newline-ended message at {@code start}; returns where the next one starts, or -1 to wait. */
    private int delimited(byte[] a, int start, int end, List<Object> out) {
        int limit = Math.min(end, start + eventSize);
        int nl = indexOf(a, start, limit, (byte) '\n');
        if (nl >= 0) {
            out.add(new SyslogFrame(Arrays.copyOfRange(a, start, nl), false));
            return nl + 1;
        }
        if (end - start >= eventSize) {
            out.add(new SyslogFrame(Arrays.copyOfRange(a, start, start + eventSize), true));
            return start + eventSize;
        }
        return -1;
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
