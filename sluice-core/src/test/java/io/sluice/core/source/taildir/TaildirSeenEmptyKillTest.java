package io.sluice.core.source.taildir;

import io.sluice.api.ComponentKind;
import io.sluice.api.Status;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent killed with {@code kill -9} right after it saw a followed file empty, while that file
 * is then written and copy-truncated before the agent runs again: the restarted source still knows
 * what the directory held when the file was seen empty (the notes are kept with the positions), so
 * it finds the copy and reads it. A child JVM ({@link TaildirSeenEmptyWorker}) is the killed agent.
 */
class TaildirSeenEmptyKillTest {
    @TempDir
    Path dir;

    static TaildirSource source(Path root) throws IOException {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "TAILDIR", "filegroups", "f1",
                "filegroups.f1", Files.createDirectories(root.resolve("logs")) + "/app\\.log", "positionFile",
                root.resolve("pos/taildir_position.json").toString(), "batchSize", "100"));
        TaildirSource source = (TaildirSource) new TaildirSourceFactory().create(ctx.context());
        if (!ctx.problems().isEmpty()) {
            throw new IllegalStateException(ctx.problems().toString());
        }
        return source;
    }

    @Test
    void aKillAfterAFileWasSeenEmptyLosesNothingOfItsCopy() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        TaildirSourceTest.append(log, TaildirSourceTest.lines("a", 0, 100));
        Path protocol = dir.resolve("protocol.txt");
        Process p = worker(protocol);
        try {
            await().atMost(60, TimeUnit.SECONDS).until(() -> said(protocol).contains("READ 100") || !p.isAlive());
            assertThat(p.isAlive()).as("worker alive; its output: %s", output()).isTrue();
            // logrotate's create with dateext: the source sees the new app.log empty at its next look
            Files.move(log, logs.resolve("app.log-20261207"));
            Files.createFile(log);
            Files.createFile(dir.resolve("go"));
            await().atMost(60, TimeUnit.SECONDS).until(() -> said(protocol).contains("LOOKED") || !p.isAlive());
            assertThat(p.isAlive()).as("worker alive; its output: %s", output()).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed with SIGKILL").isEqualTo(137);

        // while the agent is down, app.log is written, copy-truncated (logrotate's copytruncate) and written again
        TaildirSourceTest.append(log, TaildirSourceTest.lines("b", 0, 10));
        TaildirSourceTest.copyTruncate(log, logs.resolve("app.log.1"));
        TaildirSourceTest.append(log, TaildirSourceTest.lines("b", 10, 20));

        TaildirSource source = source(dir);
        MemoryPipe pipe = new MemoryPipe(10_000, 10);
        source.setChannelProcessor(pipe.processor());
        source.start();
        List<String> got = new ArrayList<>();
        try {
            for (int i = 0; i < 100 && source.process() == Status.READY; i++) {
                // read until the source has nothing more
            }
            pipe.drain().forEach(e -> got.add(e.bodyAsString()));
        } finally {
            source.stop();
        }
        assertThat(got).as("lines read after the restart").containsExactlyInAnyOrderElementsOf(
                TaildirSourceTest.lines("b", 0, 20));
    }

    private Process worker(Path protocol) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                cp, TaildirSeenEmptyWorker.class.getName(), dir.toString(), protocol.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("worker.out").toFile()).start();
    }

    private String output() throws IOException {
        Path out = dir.resolve("worker.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    private static List<String> said(Path protocol) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(protocol)) {
            return out;
        }
        for (String l : Files.readString(protocol, StandardCharsets.UTF_8).split("\n")) {
            if (l.startsWith("@@")) {
                out.add(l.substring(2));
            }
        }
        return out;
    }
}
