package io.sluice.cli.shell;

import io.sluice.sql.Flow;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.server.ServerOptions;
import io.sluice.sql.server.SqlServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shell against a real rtsql server on 127.0.0.1: control commands, scripts, history, tokens. */
class RemoteShellTest {
    @TempDir
    Path dir;
    SqlServer server;
    String address;
    final List<String> printed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = SqlServer.start(ServerOptions.defaults(0, dir.resolve("server")));
        address = "127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Session session(String token) throws RtsqlException {
        Session.Connector c = a -> {
            RemoteBackend b = new RemoteBackend(a, token, false);
            b.check();
            return b;
        };
        return new Session(c.connect(address), c);
    }

    private Flow serverFlow(long id) {
        return server.engine().flow(id).orElseThrow();
    }

    private String last() {
        return printed.get(printed.size() - 1);
    }

    @Test
    void unwatchDropAndDropAndWaitActOnTheServersFlows() throws Exception {
        Session session = session(server.token());
        ControlCommands control = new ControlCommands(session, OutputFormat.CSV, printed::add);
        ShellBackend backend = session.backend();
        backend.execute("CREATE STREAM nums (v BIGINT) FROM SOURCE 'seq'", null);
        FlowWatcher w = control.newWatcher();
        ShellBackend.Executed ex = backend.execute("SELECT v FROM nums WHERE v % 100000 = 0", w);
        long id = ex.flow().orElseThrow().id();
        control.watching(ex.flow().orElseThrow(), w, ex.watch());
        await().atMost(Duration.ofSeconds(20)).until(() -> printed.contains("200000"));

        control.run("\\u " + id);
        assertThat(last()).isEqualTo("stopped watching flow " + id);
        int seen = printed.size();
        long out = serverFlow(id).counters().rowsOut();
        await().atMost(Duration.ofSeconds(20)).until(() -> serverFlow(id).counters().rowsOut() > out + 5);
        // rows in flight when unwatching may still print; after that, nothing more arrives
        await().atMost(Duration.ofSeconds(20)).until(() -> serverFlow(id).counters().rowsOut() > out + 20);
        assertThat(printed.size()).isLessThan(seen + 10);
        assertThat(serverFlow(id).state()).isEqualTo(Flow.State.RUNNING);

        control.run("\\w " + id);
        assertThat(last()).isEqualTo("watching flow " + id);
        int before = printed.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> printed.size() > before + 3);

        control.run("\\d " + id);
        assertThat(printed).contains("dropped flow " + id);
        await().atMost(Duration.ofSeconds(10)).until(() -> serverFlow(id).state() == Flow.State.DROPPED);

        long id2 = backend.execute("SELECT v FROM nums WHERE v < 0", null).flow().orElseThrow().id();
        control.run("\\D " + id2);
        assertThat(last()).isEqualTo("dropped flow " + id2);
        assertThat(serverFlow(id2).state()).isEqualTo(Flow.State.DROPPED); // \D waited for it
        control.run("\\d " + id2);
        assertThat(last()).contains("is DROPPED, not running");
        control.run("\\w 999");
        assertThat(last()).contains("there is no flow 999");
        session.close();
    }

    @Test
    void flowListSaysWhatAFlowWaitsForAndDisconnectLeavesFlowsRunning() throws Exception {
        Session session = session(server.token());
        ControlCommands control = new ControlCommands(session, OutputFormat.CSV, printed::add);
        session.backend().execute("CREATE STREAM clicks (user STRING) FROM NODE 'web1.r1'", null);
        long id = session.backend().execute("SELECT user FROM clicks", null).flow().orElseThrow().id();
        control.run("\\f");
        assertThat(last()).contains("RUNNING").contains("SELECT user FROM clicks")
                .contains("stream clicks: waiting for node 'web1' to register");
        control.run("\\disconnect");
        assertThat(last()).startsWith("disconnected from server " + address).contains("keep running");
        control.run("\\f");
        assertThat(last()).contains("not connected; \\c host:port connects");
        assertThat(serverFlow(id).state()).isEqualTo(Flow.State.RUNNING);
        control.run("\\c " + address);
        assertThat(last()).isEqualTo("connected to server " + address);
        control.run("\\f");
        assertThat(last()).contains("SELECT user FROM clicks");
    }

    @Test
    void aWrongTokenIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> session("not-the-token")).isInstanceOf(RtsqlException.class)
                .hasMessageContaining("refused the token (401)").hasMessageContaining("--token-file");
    }

    @Test
    void scriptsPrintFiniteSelectsAsOneBlockAndErrorsOnStderr() throws Exception {
        Path data = dir.resolve("v.csv");
        Files.write(data, List.of("1,a", "2,b", "3,c"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ScriptRunner runner = new ScriptRunner(session(server.token()).backend(), new PrintWriter(out, true),
                new PrintWriter(err, true), OutputFormat.CSV);
        runner.run("CREATE STREAM v (id INT, name STRING) FROM FILE '" + data + "';"
                + "SELECT name FROM v WHERE id > 1; SELECT nosuch FROM v;", "-e");
        runner.awaitFiniteFlows();
        assertThat(out.toString()).isEqualTo("name\nb\nc\n");
        assertThat(err.toString()).contains("Stream v created").contains("column 'nosuch' does not exist");
        assertThat(runner.exitStatus()).isEqualTo(1);
    }

    @Test
    void theInteractiveShellKeepsItsHistoryAcrossRuns() throws Exception {
        Path history = dir.resolve("history");
        runShell(history, "CREATE STREAM h (v BIGINT) FROM SOURCE 'seq';\r", "Stream h created",
                "SHOW STREAMS;\r", "1 stream(s)");
        assertThat(Files.readAllLines(history)).anyMatch(l -> l.endsWith("CREATE STREAM h (v BIGINT) FROM SOURCE 'seq';"))
                .anyMatch(l -> l.endsWith("SHOW STREAMS;"));
        // a second shell adds to the same history
        runShell(history, "DESCRIBE h;\r", "Stream h: SOURCE 'seq'");
        assertThat(Files.readAllLines(history)).anyMatch(l -> l.endsWith("SHOW STREAMS;"))
                .anyMatch(l -> l.endsWith("DESCRIBE h;"));
    }

    /** Types each key sequence and waits until the screen shows the text after it; then quits. */
    private void runShell(Path history, String... keysAndExpected) throws Exception {
        PipedOutputStream typed = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(typed, 1 << 16);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        OutputStream synced = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (screen) {
                    screen.write(b);
                }
            }
        };
        try (Terminal terminal = new ExternalTerminal("test", "xterm", in, synced, StandardCharsets.UTF_8)) {
            terminal.setSize(new Size(120, 40));
            InteractiveShell shell = new InteractiveShell(session(server.token()), OutputFormat.CSV, history);
            CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return shell.run(terminal);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < keysAndExpected.length; i += 2) {
                typed.write(keysAndExpected[i].getBytes(StandardCharsets.UTF_8));
                typed.flush();
                String expected = keysAndExpected[i + 1];
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    synchronized (screen) {
                        return screen.toString(StandardCharsets.UTF_8).contains(expected);
                    }
                });
            }
            typed.write("\\q\r".getBytes(StandardCharsets.UTF_8));
            typed.flush();
            assertThat(done.get()).isZero();
        }
    }
}
