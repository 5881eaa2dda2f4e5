package io.sluice.sql.agent;

import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An engine that was given no provider finds the agent's sources (netcat among them) through the service loader. */
class ServiceLoadingTest {
    @Test
    void anEngineWithoutOptionsReadsAnAgentSourceType() throws Exception {
        try (RtsqlEngine engine = new RtsqlEngine()) {
            // stress is one of the agent's source types; the engine itself knows only seq
            // its bodies are random bytes (often not UTF-8), so the test counts the events that came in
            engine.execute("CREATE STREAM s (body STRING) FROM SOURCE 'stress' PROPERTIES ('maxTotalEvents' = '7', "
                    + "'size' = '3')");
            List<Row> rows = new CopyOnWriteArrayList<>();
            Flow flow = engine.execute("SELECT #nothing AS h FROM s", rows::add).flow().orElseThrow();
            assertThat(flow.awaitEnd(Duration.ofSeconds(30))).isTrue();
            assertThat(flow.counters().eventsIn()).isEqualTo(7);
        }
    }

    /**
     * {@code FROM SOURCE 'netcat'}, spelled as before the engine dropped its own netcat, runs the
     * agent's netcat source: on 127.0.0.1 when no {@code bind} is given, each line one event answered
     * {@code OK}, and its port closed once the last flow is dropped and the stream with it.
     */
    @Test
    void aNetcatStreamIsTheAgentsNetcatSource() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute("CREATE STREAM lines (word STRING, n INT) FROM SOURCE 'netcat' PROPERTIES ('port' = '" + port + "')");
            List<Row> rows = new CopyOnWriteArrayList<>();
            Flow f = e.execute("SELECT UPPER(word) AS w, n * 2 AS twice FROM lines WHERE n > 0", rows::add).flow()
                    .orElseThrow();
            assertThat(f.isFinite()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
            try (Socket s = new Socket("127.0.0.1", port);
                 OutputStream out = s.getOutputStream();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                out.write("apple,1\npear,0\nplum,3\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(List.of(in.readLine(), in.readLine(), in.readLine())).containsOnly("OK");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> rows.size() == 2);
            assertThat(rows).extracting(r -> r.value(0)).containsExactly("APPLE", "PLUM");
            e.dropFlow(f.id());
            e.execute("DROP STREAM lines");
            await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
