package io.sluice.cli.sql;

import io.sluice.api.Event;
import io.sluice.cli.shell.ScriptRunner;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientFactory;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.agent.AgentSourceProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code FROM SOURCE} streams over the agent's real sources, driven through the shell's
 * {@link ScriptRunner} with the engine set up as {@code sluice shell --local} sets it up.
 */
class SourceStreamsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private RtsqlEngine engine;
    private ScriptRunner runner;

    @BeforeEach
    void startEngine() {
        engine = new RtsqlEngine(EngineOptions.builder().eventSource(new AgentSourceProvider()).build());
        runner = new ScriptRunner(engine, new PrintWriter(out, true), new PrintWriter(err, true), OutputFormat.CSV);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private List<String> outLines() {
        return out.toString().replace("\r\n", "\n").lines().toList();
    }

    @Test
    void httpSourceEventsReachAWindowedSelect() throws Exception {
        int port = freePort();
        runner.run("CREATE STREAM hits (user STRING) FROM SOURCE 'http' PROPERTIES ('bind' = '127.0.0.1', 'port' = '"
                + port + "');"
                + " SELECT user, COUNT(*) AS n FROM hits GROUP BY user OVER TUMBLING INTERVAL 1 SECONDS;", "test");
        assertThat(runner.exitStatus()).as(err.toString()).isZero();
        HttpClient client = HttpClient.newHttpClient();
        String json = "[{\"headers\":{\"timestamp\":\"1000\"},\"body\":\"alice\"},"
                + "{\"headers\":{\"timestamp\":\"1400\"},\"body\":\"bob\"},"
                + "{\"headers\":{\"timestamp\":\"1900\"},\"body\":\"alice\"},"
                + "{\"headers\":{\"timestamp\":\"9000\"},\"body\":\"carol\"}]";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(outLines()).containsSubsequence("user,n").contains("alice,2", "bob,1"));
        assertThat(outLines()).doesNotContain("carol,1"); // its window is still open
    }

    @Test
    void execAndAvroSourcesFeedStreams() throws Exception {
        int port = freePort();
        runner.run("CREATE STREAM lines (n INT) FROM SOURCE 'exec' PROPERTIES ('command' = 'seq 1 5');"
                + " SELECT n * 10 AS tens FROM lines;"
                + " CREATE STREAM rpc (user STRING) FROM SOURCE 'avro' PROPERTIES ('port' = '" + port + "');"
                + " SELECT user, COUNT(*) AS n FROM rpc GROUP BY user OVER TUMBLING INTERVAL 1 SECONDS;", "test");
        assertThat(runner.exitStatus()).as(err.toString()).isZero();
        try (RpcClient client = RpcClientFactory.getDefaultInstance("127.0.0.1", port)) {
            client.appendBatch(List.of(
                    Event.wrap(Map.of("timestamp", "1000"), "dana".getBytes(StandardCharsets.UTF_8)),
                    Event.wrap(Map.of("timestamp", "1200"), "dana".getBytes(StandardCharsets.UTF_8)),
                    Event.wrap(Map.of("timestamp", "7000"), "erin".getBytes(StandardCharsets.UTF_8))));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(outLines())
                .containsSubsequence("tens", "10", "20", "30", "40", "50").contains("user,n", "dana,2"));
    }

    @Test
    void seqAndStressWithTotalsAreFiniteAndDeliverEveryEvent() throws Exception {
        runner.run("CREATE STREAM nums (v BIGINT) FROM SOURCE 'seq' PROPERTIES ('totalEvents' = '100', 'batchSize' = '7');"
                + " SELECT v FROM nums WHERE v % 10 = 9;", "test");
        runner.run("CREATE STREAM load (b BINARY) FROM SOURCE 'stress' PROPERTIES ('maxTotalEvents' = '50', 'size' = '8');"
                + " SELECT COUNT(*) AS c FROM load OVER TUMBLING INTERVAL 1000 DAYS;", "test");
        runner.awaitFiniteFlows();
        assertThat(runner.exitStatus()).as(err.toString()).isZero();
        assertThat(outLines()).containsExactly("v", "9", "19", "29", "39", "49", "59", "69", "79", "89", "99", "c", "50");
    }

    @Test
    void badPropertiesGiveAClearErrorAndTheShellKeepsWorking() throws Exception {
        runner.run("CREATE STREAM lines (line STRING) FROM SOURCE 'netcat' PROPERTIES ('port' = '70000');"
                + " SELECT line FROM lines;", "test");
        assertThat(runner.exitStatus()).isEqualTo(1);
        assertThat(err.toString()).contains("stream 'lines'", "property 'port' = '70000'", "65535", "fix:")
                .doesNotContain("property 'bind'"); // network sources listen on 127.0.0.1 unless told

        runner.run("CREATE STREAM typo (line STRING) FROM SOURCE 'netcat' PROPERTIES ('prot' = '4444');"
                + " SELECT line FROM typo;", "test");
        assertThat(err.toString()).contains("stream 'typo'", "property 'port' (missing)", "property 'prot'",
                "did you mean 'port'");

        runner.run("CREATE STREAM nope (line STRING) FROM SOURCE 'netcta' PROPERTIES ('port' = '4444');"
                + " SELECT line FROM nope;", "test");
        assertThat(err.toString()).contains("stream 'nope'", "unknown source type 'netcta'", "did you mean 'netcat'");

        String before = out.toString();
        runner.run("CREATE STREAM ok (v BIGINT) FROM SOURCE 'seq' PROPERTIES ('totalEvents' = '3');"
                + " SELECT v FROM ok;", "test");
        runner.awaitFiniteFlows();
        assertThat(out.toString().substring(before.length()).replace("\r\n", "\n").lines())
                .containsExactly("v", "0", "1", "2");
    }

    @Test
    void dropStreamStopsTheSource() throws Exception {
        int port = freePort();
        runner.run("CREATE STREAM lines (word STRING, n INT) FROM SOURCE 'netcat' PROPERTIES ('port' = '" + port + "');"
                + " SELECT word, n * 2 AS twice FROM lines;", "test");
        assertThat(runner.exitStatus()).as(err.toString()).isZero();
        try (Socket s = new Socket("127.0.0.1", port);
             OutputStream o = s.getOutputStream();
             BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            o.write("a,1\nb,20\n".getBytes(StandardCharsets.UTF_8));
            o.flush();
            assertThat(in.readLine()).isEqualTo("OK");
            assertThat(in.readLine()).isEqualTo("OK");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(outLines()).containsExactly("word,twice", "a,2", "b,40"));

        runner.run("DROP STREAM lines;", "test");
        assertThat(err.toString()).contains("DROP FLOW"); // refused while the flow reads it
        long flow = engine.flows().get(0).id();
        runner.run("DROP FLOW " + flow + "; DROP STREAM lines;", "test");
        assertThat(err.toString()).contains("Stream lines dropped");
        await().atMost(Duration.ofSeconds(15)).until(() -> !accepts(port));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
