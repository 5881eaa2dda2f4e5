package io.sluice.cli.shell;

import io.sluice.sql.Flow;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The interactive shell on a terminal over pipes, typed at as a person would, Ctrl-C included. */
class InteractiveShellTest {
    @TempDir
    Path dir;

    /** Output the shell wrote so far; written by the shell's threads, read by the test. */
    private static final class Screen extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void ctrlCWhileRowsScrollStopsWatchingAndTheFlowKeepsRunning() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        Screen screen = new Screen();
        try (RtsqlEngine engine = new RtsqlEngine();
             // an external terminal: its line discipline turns Ctrl-C into SIGINT for this process, as a
             // real terminal does (a pty made by TerminalBuilder would signal its own process group)
             Terminal terminal = new ExternalTerminal("test", "xterm", in, screen, StandardCharsets.UTF_8)) {
            terminal.setSize(new Size(120, 40));
            InteractiveShell shell = new InteractiveShell(engine, OutputFormat.CSV, dir.resolve("history"));
            CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return shell.run(terminal);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            type(keys, "CREATE STREAM n (v BIGINT) FROM SOURCE 'seq';\r");
            type(keys, "SELECT v FROM n WHERE v % 1000000 = 0;\r");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(screen.text()).contains("2000000"));
            keys.write(3); // Ctrl-C
            keys.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> screen.text().contains("stopped watching flow"));
            Flow f = engine.flows().get(0);
            assertThat(f.state()).isEqualTo(Flow.State.RUNNING);
            assertThat(screen.text()).contains("it keeps running").contains("\\d " + f.id() + " drops it");
            // its rows no longer reach the screen: the flow's subscribers are gone
            long out = f.counters().rowsOut();
            await().atMost(Duration.ofSeconds(20)).until(() -> f.counters().rowsOut() > out + 10);
            int shown = screen.text().length();
            type(keys, "\\f\r");
            await().atMost(Duration.ofSeconds(20)).until(() -> screen.text().contains("watched"));
            assertThat(screen.text().substring(shown)).doesNotContain((f.counters().rowsOut() - 1) + "000000");
            type(keys, "\\q\r");
            assertThat(done.get()).isZero();
        }
    }

    private static void type(OutputStream keys, String s) throws Exception {
        keys.write(s.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }
}
