package io.sluice.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.sluice.sql.EngineTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** FROM SOURCE streams: the built-in seq and netcat sources, over real threads and sockets. */
class SourceStreamsTest {
    @Test
    void finiteSeqSourceRunsEachFlowFromItsStart() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC);
        try (RtsqlEngine e = new RtsqlEngine(EngineOptions.builder().clock(clock).build())) {
            e.execute("CREATE STREAM nums (n BIGINT NOT NULL) FROM SOURCE 'seq' PROPERTIES ('totalEvents' = '100')");
            String q = "SELECT COUNT(*) AS c, SUM(n) AS s, MAX(n) AS m FROM nums OVER TUMBLING INTERVAL 1 MINUTES";
            assertThat(run(e, q)).containsExactly("c,s,m", "100,4950,99");
            assertThat(run(e, q)).containsExactly("c,s,m", "100,4950,99");
            e.execute("CREATE STREAM bad (n INT) FROM SOURCE 'seq' PROPERTIES ('total' = '1')");
            assertThatThrownBy(() -> e.execute("SELECT n FROM bad")).hasMessageContaining("source 'seq' has no property 'total'");
        }
    }

    @Test
    void anEndlessSourceStopsWhenItsLastFlowIsDropped() throws Exception {
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute("CREATE STREAM forever (n BIGINT) FROM SOURCE 'seq'");
            Flow a = e.execute("SELECT n FROM forever WHERE n < 0").flow().orElseThrow();
            Flow b = e.execute("SELECT n FROM forever WHERE n < 0").flow().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.counters().eventsIn() > 0 && seqThreads() == 1);
            e.dropFlow(a.id());
            long seen = b.counters().eventsIn();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.counters().eventsIn() > seen); // b still reads
            e.dropFlow(b.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> seqThreads() == 0);
            Flow c = e.execute("SELECT n FROM forever WHERE n < 0").flow().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> c.counters().eventsIn() > 0);
        }
    }

    private static long seqThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("rtsql-source-seq") && t.isAlive()).count();
    }

    @Test
    void netcatSourceFeedsLinesAndAcknowledgesThem() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute("CREATE STREAM lines (word STRING, n INT) FROM SOURCE 'netcat' PROPERTIES ('port' = '" + port + "')");
            EngineTestSupport.Collector c = new EngineTestSupport.Collector();
            Flow f = e.execute("SELECT UPPER(word) AS w, n * 2 AS twice FROM lines WHERE n > 0", c).flow().orElseThrow();
            assertThat(f.isFinite()).isFalse();
            try (Socket s = new Socket("127.0.0.1", port);
                 OutputStream out = s.getOutputStream();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                out.write("apple,1\npear,0\nplum,3\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(List.of(in.readLine(), in.readLine(), in.readLine())).containsOnly("OK");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> c.rows.size() == 2);
            assertThat(c.rows).extracting(r -> r.value(0)).containsExactly("APPLE", "PLUM");
            e.dropFlow(f.id());
            e.execute("DROP STREAM lines");
            // The listening socket is closed asynchronously after DROP STREAM returns.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                            .isInstanceOf(IOException.class));
        }
    }
}
