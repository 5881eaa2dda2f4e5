package io.sluice.core.source.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
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
        while (in.isReadable()) {
            if (skip > 0) {
                int n = (int) Math.min(skip, in.readableBytes());
                in.skipBytes(n);
                skip -= n;
                continue;
            }
            byte first = in.getByte(in.readerIndex());
            if (first == '\n') {
                in.skipBytes(1);
                continue;
            }
            SyslogFrame frame = first >= '0' && first <= '9' ? counted(in) : delimited(in);
            if (frame == null) {
                return; // wait for more bytes
            }
            out.add(frame);
            framesThisRead++;
        }
    }

    private SyslogFrame counted(ByteBuf in) {
        int start = in.readerIndex();
        int sp = in.indexOf(start, Math.min(in.writerIndex(), start + 11), (byte) ' ');
        if (sp < 0) {
            if (in.readableBytes() > 10) {
                return delimited(in); // not a length after all: read it as a line
            }
            return null;
        }
        long length = 0;
        for (int i = start; i < sp; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return delimited(in);
            }
            length = length * 10 + (b - '0');
        }
        int keep = (int) Math.min(length, eventSize);
        if (in.writerIndex() - (sp + 1) < keep) {
            return null;
        }
        in.readerIndex(sp + 1);
        // One trailing LF is not part of the message (rsyslog's RFC 5424 template ends with one and
        // its octet-counted forwarding counts it; rsyslog drops it on reception too).
        int body = keep == length && keep > 0 && in.getByte(in.readerIndex() + keep - 1) == '\n' ? keep - 1 : keep;
        byte[] bytes = new byte[body];
        in.readBytes(bytes);
        in.skipBytes(keep - body);
        skip = length - keep;
        return new SyslogFrame(bytes, length > eventSize);
    }

    private SyslogFrame delimited(ByteBuf in) {
        int start = in.readerIndex();
        int limit = Math.min(in.writerIndex(), start + eventSize);
        int nl = in.indexOf(start, limit, (byte) '\n');
        if (nl >= 0) {
            byte[] bytes = new byte[nl - start];
            in.readBytes(bytes);
            in.skipBytes(1);
            return new SyslogFrame(bytes, false);
        }
        if (in.readableBytes() >= eventSize) {
            byte[] bytes = new byte[eventSize];
            in.readBytes(bytes);
            return new SyslogFrame(bytes, true);
        }
        return null;
    }
}
