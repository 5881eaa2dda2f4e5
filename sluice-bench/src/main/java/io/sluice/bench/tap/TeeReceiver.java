package io.sluice.bench.tap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of the tee protocol, as far as the benchmark needs it: every registration is
 * answered with one wanted component (and a heartbeat every 5 s), every batch is read to its last
 * byte, its lines counted, and answered 204. Events and bytes received are counted, so the
 * benchmark can say how much of the agent's flow the tee carried. Thread-safe.
 */
final class TeeReceiver implements AutoCloseable {
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
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                byte[] line = ("{\"tees\":[\"" + component + "\"]}\n").getBytes(StandardCharsets.UTF_8);
                do {
                    out.write(line);
                    out.flush();
                } while (!closing.await(5, TimeUnit.SECONDS));
                return;
            }
            long n = 0;
            long size = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = ex.getRequestBody()) {
                for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                    size += r;
                    for (int i = 0; i < r; i++) {
                        if (buf[i] == '\n') {
                            n++;
                        }
                    }
                }
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
