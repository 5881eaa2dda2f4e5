package io.sluice.core.http;

import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.http.HttpEndpointServer.Answer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deferred route answers from another thread; while its answer is pending, other connections
 * are served, and requests pipelined behind it on its own connection are answered after it, in order.
 */
class DeferredRouteTest {
    private final CompletableFuture<Answer> slow = new CompletableFuture<>();
    private HttpEndpointServer server;

    @AfterEach
    void stop() {
        slow.complete(new Answer(200, "text/plain", "late\n"));
        if (server != null) {
            server.close();
        }
    }

    private int start() {
        Map<String, HttpEndpointServer.Route> routes = new LinkedHashMap<>();
        routes.put("/slow", HttpEndpointServer.deferred(r -> slow));
        routes.put("/metrics", r -> new Answer(200, "text/plain", "metrics\n"));
        server = new HttpEndpointServer("test", routes, new CounterGroup("HTTP", "test"));
        return server.start(InetAddress.getLoopbackAddress(), 0).getPort();
    }

    private static String readUntil(InputStream in, String... bodies) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            String text = got.toString(StandardCharsets.UTF_8);
            boolean all = true;
            for (String b : bodies) {
                all &= text.contains(b);
            }
            if (all) {
                return text;
            }
            int n = in.read(buf);
            if (n < 0) {
                return text;
            }
            got.write(buf, 0, n);
        }
    }

    @Test
    void otherConnectionsAreServedWhileAnAnswerIsPendingAndPipelinedRequestsKeepTheirOrder() throws Exception {
        int port = start();
        try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
                Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
            a.setSoTimeout(20_000);
            b.setSoTimeout(20_000);
            OutputStream out = a.getOutputStream();
            // /slow then /metrics pipelined on one connection
            out.write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            b.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            b.getOutputStream().flush();
            assertThat(readUntil(b.getInputStream(), "metrics\n")).startsWith("HTTP/1.1 200").contains("metrics\n");
            assertThat(a.getInputStream().available()).as("nothing before the slow answer").isZero();

            slow.complete(new Answer(200, "text/plain", "slow answer\n"));
            String text = readUntil(a.getInputStream(), "slow answer\n", "metrics\n");
            assertThat(text.indexOf("slow answer")).isGreaterThan(0).isLessThan(text.indexOf("metrics\n"));
        }
    }
}
