package io.sluice.e2e.avro;

import io.sluice.api.Event;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Distribution;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice avro-client} sends a file's lines, with the header file's headers, to a running
 * agent and exits 0; when the agent cannot be reached it exits non-zero with one line saying so.
 */
class AvroClientCommandIT {
    @TempDir
    Path dir;

    @Test
    void sendsEveryLineWithHeadersAndFailsWithOneLineWhenTheAgentIsGone() throws Exception {
        int port = Ports.free();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 750; i++) {
            lines.add("line " + i + " \u00e9");
        }
        Path file = Files.write(dir.resolve("input.txt"), lines);
        Path headers = Files.writeString(dir.resolve("headers.properties"), "host = web-7\nservice=checkout\n");
        try (Collector collector = Collector.plain();
                ChildProcess agent = Agents.startSluice("avro-client-target", dir.resolve("agent"),
                        Agents.relay("a1", port, collector.port(), 10_000), port)) {
            SluiceCli.Result r = SluiceCli.run(dir, Duration.ofSeconds(120), "avro-client", "-H", "127.0.0.1", "-p",
                    String.valueOf(port), "-F", file.toString(), "-R", headers.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("sent 750 event(s)");
            collector.awaitCount(750, Duration.ofSeconds(60));
            List<String> bodies = new ArrayList<>();
            for (Event e : collector.events()) {
                assertThat(e.headers()).containsEntry("host", "web-7").containsEntry("service", "checkout");
                bodies.add(e.bodyAsString());
            }
            assertThat(bodies).containsExactlyElementsOf(lines);

            // -P client properties (deflate off, batch 64) and --dirname: every file of the directory, oldest first
            Path spool = Files.createDirectories(dir.resolve("spool"));
            Files.write(spool.resolve("a.log"), List.of("a1", "a2"));
            Files.write(spool.resolve("b.log"), List.of("b1"));
            Path props = Files.writeString(dir.resolve("client.properties"),
                    "hosts = h1\nhosts.h1 = 127.0.0.1:" + port + "\nbatch-size = 64\n");
            SluiceCli.Result viaProps = SluiceCli.run(dir, Duration.ofSeconds(120), "avro-client", "-P",
                    props.toString(), "--dirname", spool.toString());
            assertThat(viaProps.exitCode()).as(viaProps.err()).isZero();
            collector.awaitCount(753, Duration.ofSeconds(60));
            assertThat(collector.events().subList(750, 753)).extracting(Event::bodyAsString)
                    .containsExactly("a1", "a2", "b1");
            // each sent file is renamed NAME.COMPLETED, as Apache Flume's avro-client does, so a second
            // run sends only the new file
            assertThat(spool.resolve("a.log.COMPLETED")).exists();
            assertThat(spool.resolve("b.log.COMPLETED")).exists();
            assertThat(spool.resolve("a.log")).doesNotExist();
            Files.write(spool.resolve("c.log"), List.of("c1"));
            SluiceCli.Result again = SluiceCli.run(dir, Duration.ofSeconds(120), "avro-client", "-P",
                    props.toString(), "--dirname", spool.toString());
            assertThat(again.exitCode()).as(again.err()).isZero();
            collector.awaitCount(754, Duration.ofSeconds(60));
            assertThat(collector.events().subList(753, 754)).extracting(Event::bodyAsString).containsExactly("c1");
            assertThat(spool.resolve("c.log.COMPLETED")).exists();
        }
        SluiceCli.Result down = SluiceCli.run(dir, Duration.ofSeconds(120), "avro-client", "-H", "127.0.0.1", "-p",
                String.valueOf(port), "-F", file.toString());
        assertThat(down.exitCode()).isNotZero();
        assertThat(down.stderr()).anySatisfy(l -> assertThat(l).startsWith("avro-client: cannot connect to 127.0.0.1:"
                + port));
    }

    @Test
    void flumeNgAvroClientTakesFlumesCommandLine() throws Exception {
        int port = Ports.free();
        Path file = Files.write(dir.resolve("input.txt"), List.of("from flume-ng 1", "from flume-ng 2"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        try (Collector collector = Collector.plain();
                ChildProcess agent = Agents.startSluice("flume-ng-avro-client-target", dir.resolve("agent"),
                        Agents.relay("a1", port, collector.port(), 10_000), port)) {
            List<String> command = List.of("bash", Distribution.home().resolve("bin/flume-ng").toString(),
                    "avro-client", "-c", conf.toString(), "-Dsome.property=x", "-Xmx64m", "-H", "127.0.0.1",
                    "-p", String.valueOf(port), "-F", file.toString());
            try (ChildProcess client = ChildProcess.start("flume-ng-avro-client", command, dir,
                    Map.of("SLUICE_NO_BUILD", "1"))) {
                assertThat(client.awaitExit(Duration.ofSeconds(120))).as(client.tail()).isZero();
            }
            collector.awaitCount(2, Duration.ofSeconds(60));
            assertThat(collector.events()).extracting(Event::bodyAsString)
                    .containsExactly("from flume-ng 1", "from flume-ng 2");
        }
    }
}
