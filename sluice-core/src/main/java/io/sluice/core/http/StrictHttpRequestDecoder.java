package io.sluice.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.util.List;

/**
 * Netty's request decoder, made strict about the framing ambiguities that allow request smuggling
 * (RFC 9112 sections 5.2 and 6.3). A request that has both {@code Content-Length} and
 * {@code Transfer-Encoding}, or whose header section uses obsolete line folding (a line starting
 * with a space or a tab), is marked as failed, so that {@link HttpFramingGuard} refuses it and
 * closes the connection instead of guessing where it ends. Duplicate or invalid lengths already fail
 * in Netty's decoder; bare line feeds are refused by its strict line parsing.
 *
 * <p>To see folding the decoder keeps the bytes it consumed since it last produced a message (the
 * start line and header lines of the request being read; a body never precedes a request's head,
 * because every body ends with a message), at most the head's size limit.
 *
 * <p>Not sharable, not thread-safe: one instance per connection, on its event loop.
 */
public final class StrictHttpRequestDecoder extends HttpRequestDecoder {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_HEAD = MAX_INITIAL_LINE + MAX_HEADER_SIZE + 16;

    private final ByteBuf head = Unpooled.buffer(256, MAX_HEAD);
    private boolean headOverflow;

    public StrictHttpRequestDecoder() {
        super(new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADER_SIZE)
                .setStrictLineParsing(true).setAllowDuplicateContentLengths(false));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int start = buffer.readerIndex();
        int before = out.size();
        super.decode(ctx, buffer, out);
        int consumed = buffer.readerIndex() - start;
        if (out.size() == before) {
            keep(buffer, start, consumed);
            return;
        }
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpRequest && ((HttpRequest) o).decoderResult().isSuccess()) {
                keep(buffer, start, consumed);
                if (headOverflow || hasFoldedLine(head)) {
                    ((HttpRequest) o).setDecoderResult(DecoderResult.failure(new FramingException(
                            "a header line starts with a space or a tab (obsolete line folding is not accepted)")));
                }
                break;
            }
        }
        head.clear();
        headOverflow = false;
    }

    private void keep(ByteBuf buffer, int start, int length) {
        if (length <= 0) {
            return;
        }
        if (head.maxWritableBytes() < length) {
            headOverflow = true; // the decoder refuses such a head anyway
            return;
        }
        head.writeBytes(buffer, start, length);
    }

    private static boolean hasFoldedLine(ByteBuf bytes) {
        int end = bytes.writerIndex() - 1;
        for (int i = bytes.readerIndex(); i < end; i++) {
            if (bytes.getByte(i) == '\n') {
                byte next = bytes.getByte(i + 1);
                if (next == ' ' || next == '\t') {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        message.setDecoderResult(DecoderResult.failure(new FramingException(
                "the request has both Content-Length and Transfer-Encoding; send exactly one of them")));
        super.handleTransferEncodingChunkedWithContentLength(message);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        head.release();
        super.handlerRemoved0(ctx);
    }

    /** A request whose length cannot be determined without guessing. */
    public static final class FramingException extends Exception {
        private static final long serialVersionUID = 1L;

        public FramingException(String message) {
            super(message, null, false, false);
        }
    }
}
