package io.sluice.bench.tap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of the tee protocol, as far as the benchmark needs it: every registration is
 * answered with one wanted component (and a heartbeat every 5 s) and the rtsql server's
 * announcement of what it takes ({@link TeeAccept}: both forms, 65,536 events and 4 MiB per batch),
 * every batch is read to its last
 * byte and decoded into events as the server does (refused with 400 when malformed, 415 when not
 * {@value TeeFrames#CONTENT_TYPE}), and answered 204. Events and bytes received are counted, so the
 * benchmark can say how much of the agent's flow the tee carried. Thread-safe.
 */
final class TeeReceiver implements AutoCloseable {
    /** As the rtsql server's: 65,536 events per batch, 4 MiB per event and per body, 1024 headers per event. */
    private static final TeeFrames.Limits LIMITS = new TeeFrames.Limits(65_536, 4 << 20, 1024, 4 << 20);
    /** Each receiving thread's request buffer, grown as needed (a server reads the whole body before decoding it). */
    private final ThreadLocal<byte[]> buffer = ThreadLocal.withInitial(() -> new byte[1 << 20]);
    private final String token;
    private final String component;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-tee-receiver");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    TeeReceiver(String token, String component) throws IOException {
        this.token = token;
        this.component = component;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(pool);
        server.createContext("/v1/nodes/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    long events() {
        return events.get();
    }

    long bytes() {
        return bytes.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            if ("GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
                ex.getResponseHeaders().add(TeeAccept.ACCEPT_HEADER, TeeAccept.acceptValue());
                ex.getResponseHeaders().add(TeeAccept.MAX_EVENTS_HEADER, Integer.toString(LIMITS.maxEvents()));
                ex.getResponseHeaders().add(TeeAccept.MAX_BYTES_HEADER, Integer.toString(LIMITS.maxBodyBytes()));
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                byte[] line = ("{\"tees\":[\"" + component + "\"]}\n").getBytes(StandardCharsets.UTF_8);
                do {
                    out.write(line);
                    out.flush();
                } while (!closing.await(5, TimeUnit.SECONDS));
                return;
            }
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (!TeeFrames.CONTENT_TYPE.equals(type)) {
                ex.sendResponseHeaders(415, -1);
                return;
            }
            byte[] buf = buffer.get();
            int size = 0;
            try (InputStream in = ex.getRequestBody()) {
                for (int r = in.read(buf, size, buf.length - size); r >= 0; r = in.read(buf, size, buf.length - size)) {
                    size += r;
                    if (size == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                        buffer.set(buf);
                    }
                }
            }
            int n;
            try {
                n = TeeFrames.decode(buf, 0, size, LIMITS).size();
            } catch (TeeFrames.MalformedBody e) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            events.addAndGet(n);
            bytes.addAndGet(size);
            ex.sendResponseHeaders(204, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
