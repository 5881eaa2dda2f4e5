package io.sluice.e2e.hostile;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Configuration files as editors and attackers write them, run by a real agent: a byte order mark
 * before the first key, UTF-8 text, references that would expand without end, and an agent whose
 * source list was lost.
 */
class HostileConfigIT {
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private AgentConfig netcatToFiles(int port, Path out) {
        return AgentConfig.of("a1")
                .components("nc", "c1", "k1")
                .netcatSource("nc", port, "c1")
                .set("channels.c1.type", "memory")
                .fileRollSink("k1", "c1", out);
    }

    @Test
    void aByteOrderMarkAndUtf8TextAreReadAsAUtf8EditorWroteThem() throws Exception {
        int port = Ports.free();
        Path out = dir.resolve("out");
        String text = netcatToFiles(port, out)
                .set("sources.nc.interceptors", "i1")
                .set("sources.nc.interceptors.i1.type", "search_replace")
                .set("sources.nc.interceptors.i1.searchPattern", "PLACE")
                .set("sources.nc.interceptors.i1.replaceString", "caf\u00e9 \u2713 \\u00e9")
                .text();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Path conf = Files.write(dir.resolve("flume.conf"), withBom);

        try (ChildProcess agent = SluiceCli.startAgent("bom-utf8", dir, conf, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            try (NetcatClient nc = new NetcatClient(port, Duration.ofSeconds(10))) {
                assertThat(nc.send("at PLACE")).isEqualTo("OK");
            }
            await("the event rolled out").atMost(Duration.ofSeconds(30))
                    .until(() -> !RolledFiles.lines(out).isEmpty());
            assertThat(RolledFiles.lines(out)).containsExactly("at caf\u00e9 \u2713 \u00e9");
        }
    }

    @Test
    void exponentialReferencesStopTheStartNamingTheKey() throws Exception {
        int port = Ports.free();
        AgentConfig c = netcatToFiles(port, dir.resolve("out")).line("l0 = xxxxxxxxxx");
        for (int level = 1; level <= 10; level++) {
            c.line("l" + level + " =" + (" ${l" + (level - 1) + "}").repeat(10));
        }
        Path conf = c.set("sources.nc.interceptors", "i1")
                .set("sources.nc.interceptors.i1.type", "static")
                .set("sources.nc.interceptors.i1.key", "bomb")
                .set("sources.nc.interceptors.i1.value", "${l10}")
                .writeTo(dir);

        try (ChildProcess agent = SluiceCli.startAgent("ref-bomb", dir, conf, "a1")) {
            int code = agent.awaitExit(EXIT);
            assertThat(code).as(agent.tail()).isNotZero();
            assertThat(agent.output()).contains("a1.sources.nc.interceptors.i1.value")
                    .contains("expands to more than");
        }
    }

    @Test
    void anAgentWhoseSourceListIsLostDoesNotStart() throws Exception {
        int port = Ports.free();
        Path conf = AgentConfig.of("a1")
                .line("# the first key was mistyped")
                .set("source", "nc")
                .set("channels", "c1").set("sinks", "k1")
                .netcatSource("nc", port, "c1")
                .set("channels.c1.type", "memory")
                .fileRollSink("k1", "c1", dir.resolve("out"))
                .writeTo(dir);
        try (ChildProcess agent = SluiceCli.startAgent("no-source", dir, conf, "a1")) {
            int code = agent.awaitExit(EXIT);
            assertThat(code).as(agent.tail()).isNotZero();
            assertThat(agent.output()).contains("a1.sources").contains("no source").contains("allowNoSources");
        }

        Path drainOnly = AgentConfig.of("a1")
                .set("channels", "c1").set("sinks", "k1").set("allowNoSources", true)
                .set("channels.c1.type", "memory")
                .fileRollSink("k1", "c1", dir.resolve("out"))
                .writeTo(dir.resolve("drain"));
        SluiceCli.Result r = SluiceCli.run(dir, EXIT, "validate", "-n", "a1", "-f", drainOnly.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    }

    @Test
    void aBatchLargerThanTheTransactionCapacityIsAnswered413NamingTheKey() throws Exception {
        int port = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("web", "c1", "k1")
                .httpSource("web", port, "c1")
                .set("channels.c1.type", "memory").set("channels.c1.transactionCapacity", 5)
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1").set("sinks.k1.batchSize", 5)
                .writeTo(dir);
        try (ChildProcess agent = SluiceCli.startAgent("http-413", dir, conf, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            String six = "[" + String.join(",", List.of("{}", "{}", "{}", "{}", "{}", "{}")) + "]";
            Http.Response r = Http.postJson(port, "/", six);
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.body()).contains("a1.channels.c1.transactionCapacity");
        }
    }

    @Test
    void aCrLfLineOneByteOverTheLimitIsRefused() throws Exception {
        int port = Ports.free();
        Path conf = netcatToFiles(port, dir.resolve("out")).set("sources.nc.max-line-length", 16).writeTo(dir);
        try (ChildProcess agent = SluiceCli.startAgent("netcat-limit", dir, conf, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            // 15 bytes + CR + LF: the body keeps the CR, so the line is 17 bytes counting the newline.
            try (NetcatClient nc = new NetcatClient(port, Duration.ofSeconds(10))) {
                assertThat(nc.send("a".repeat(15) + "\r")).startsWith("FAILED: Event exceeds the maximum length");
                assertThat(nc.send("a".repeat(14) + "\r")).isEqualTo("OK");
            }
        }
    }
}
