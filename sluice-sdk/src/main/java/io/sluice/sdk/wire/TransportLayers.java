package io.sluice.sdk.wire;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.JdkZlibEncoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.ssl.SslContext;

/**
 * Adds the layers below the frames, in Apache Flume's order: TLS outermost, then zlib-wrapped
 * deflate (a stream compressed as a whole, flushed after every message), then the frame decoder.
 *
 * <p>Stateless and thread-safe.
 */
public final class TransportLayers {
    /** Largest buffer the inflater produces in one step; data beyond it arrives in further steps. */
    private static final int MAX_INFLATE_CHUNK = 1 << 20;

    private TransportLayers() {
    }

    /**
     * @param ssl the TLS context, or {@code null} for plain TCP
     * @param peerHost for a client, the server's host (used for the TLS engine); {@code null} on a server
     */
    public static void add(ChannelPipeline p, ByteBufAllocator alloc, SslContext ssl, String peerHost, int peerPort,
            boolean deflate, int level, long maxFrameBytes) {
        add(p, alloc, ssl, peerHost, peerPort, deflate, level, maxFrameBytes, false);
    }

    /**
     * As above; with {@code skipOversize} a frame over {@code maxFrameBytes} is passed on as an
     * {@link OversizeFrame} and skipped instead of failing the connection (a server answers it).
     */
    public static void add(ChannelPipeline p, ByteBufAllocator alloc, SslContext ssl, String peerHost, int peerPort,
            boolean deflate, int level, long maxFrameBytes, boolean skipOversize) {
        if (ssl != null) {
            p.addLast("tls", peerHost == null ? ssl.newHandler(alloc) : ssl.newHandler(alloc, peerHost, peerPort));
        }
        if (deflate) {
            p.addLast("inflater", new JdkZlibDecoder(ZlibWrapper.ZLIB, MAX_INFLATE_CHUNK));
            p.addLast("deflater", new JdkZlibEncoder(ZlibWrapper.ZLIB, level));
        }
        p.addLast("frames", new FrameDecoder(maxFrameBytes, skipOversize));
    }
}
