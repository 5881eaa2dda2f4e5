package io.sluice.core.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * The open body of a chunked HTTP response on a Netty channel: each write is one chunk, written
 * through {@code out} (the pipeline context the response head went through); {@link #end()} sends
 * the last chunk and closes the connection. Used by {@link HttpEndpointServer} and by other HTTP
 * servers built on the same parts. Thread-safe: write and end from any thread (Netty queues the
 * writes on the channel's event loop).
 */
public final class ChannelChunkWriter implements HttpEndpointServer.ChunkWriter {
    private final Channel ch;
    private final ChannelHandlerContext out;
    private volatile boolean ended;

    public ChannelChunkWriter(ChannelHandlerContext out) {
        this.out = requireNonNull(out, "out is null");
        this.ch = out.channel();
    }

    @Override
    public void write(String text) {
        if (ended || !ch.isActive()) {
            return;
        }
        Object chunk = new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        out.writeAndFlush(chunk).addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
            }
        });
    }

    @Override
    public boolean writable() {
        return ch.isWritable();
    }

    @Override
    public boolean open() {
        return !ended && ch.isActive();
    }

    @Override
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (ch.isActive()) {
            out.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void onClose(Runnable action) {
        ch.closeFuture().addListener(f -> action.run());
    }
}
