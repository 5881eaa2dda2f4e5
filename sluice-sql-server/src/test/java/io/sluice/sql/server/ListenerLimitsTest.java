package io.sluice.sql.server;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The listener's connection limit and idle timeout, over real sockets. */
class ListenerLimitsTest {
    @TempDir
    Path dir;

    /** True once the server has closed {@code s} (a read sees the end of the stream). */
    private static boolean closedByServer(Socket s) throws Exception {
        s.setSoTimeout(200);
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAndCounted() throws Exception {
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, dir).withLimits(2, 60_000, 10_000, 4096))) {
            int port = server.address().getPort();
            try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port);
                 Socket c = new Socket("127.0.0.1", port)) {
                // the three race through two I/O threads: whichever is admitted third is closed
                List<Socket> all = List.of(a, b, c);
                List<Socket> closed = new ArrayList<>();
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    for (Socket s : all) {
                        if (!closed.contains(s) && closedByServer(s)) {
                            closed.add(s);
                        }
                    }
                    return !closed.isEmpty();
                });
                for (Socket s : all) {
                    if (!closed.contains(s)) {
                        assertThat(closedByServer(s)).isFalse();
                    }
                }
                assertThat(closed).hasSize(1);
            }
            ApiClient client = new ApiClient(server);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/v1/flows").statusCode() == 200);
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, dir).withLimits(16, 300, 10_000, 4096));
             Socket idle = new Socket("127.0.0.1", server.address().getPort())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> closedByServer(idle));
        }
    }
}
