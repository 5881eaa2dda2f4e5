package io.sluice.cli.shell;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The interactive shell's backslash commands against a real engine. */
class ControlCommandsTest {
    @TempDir
    Path dir;
    private RtsqlEngine engine;
    private final List<String> printed = new CopyOnWriteArrayList<>();
    private ControlCommands control;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build());
        control = new ControlCommands(engine, OutputFormat.CSV, printed::add);
        Files.write(dir.resolve("v.csv"), List.of("1,a", "x,b", "3,c"));
        engine.execute("CREATE STREAM v (id INT NOT NULL, name STRING) FROM FILE 'v.csv' EVENT FORMAT 'delimited'");
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    @Test
    void flowListShowsCounters() throws Exception {
        Flow f = engine.execute("SELECT name FROM v WHERE id > 1").flow().orElseThrow();
        assertThat(f.awaitEnd(Duration.ofSeconds(20))).isTrue();
        control.run("\\f");
        String table = printed.get(printed.size() - 1);
        assertThat(table).contains("events in").contains("rows out").contains("rejected").contains("late");
        String row = table.lines().filter(l -> l.strip().startsWith(f.id() + " ")).findFirst().orElseThrow();
        assertThat(row.split("\\s+")).contains("FINISHED", "3", "1");
    }

    @Test
    void flowListSaysWhatALocalFlowWaitsFor() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        engine.execute("CREATE STREAM m FROM METRICS 'temperature' PROPERTIES ('token' = 'unused', 'url' = 'http://127.0.0.1:" + closed
                + "')");
        Flow f = engine.execute("SELECT * FROM m").flow().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> !engine.flowWaiting(f.id()).isEmpty());
        control.run("\\f");
        String table = printed.get(printed.size() - 1);
        assertThat(table).contains(engine.flowWaiting(f.id()).get(0)).contains("stream m:");
    }

    @Test
    void aWatchedSelectPrintsItsHeaderAndRows() throws Exception {
        FlowWatcher w = control.newWatcher();
        ShellBackend.Executed ex = control.session().backend().execute("SELECT id, name FROM v", w);
        control.watching(ex.flow().orElseThrow(), w, ex.watch());
        Flow f = engine.flow(ex.flow().orElseThrow().id()).orElseThrow();
        assertThat(f.awaitEnd(Duration.ofSeconds(20))).isTrue();
        assertThat(String.join("\n", printed)).contains("id,name\n1,a").contains("3,c").contains("finished");
    }

    @Test
    void setChangesASessionSetting() throws Exception {
        control.run("\\set rtsql.slack.time=0");
        control.run("\\set nonsense");
        assertThat(printed.get(1)).contains("key=value");
    }

    @Test
    void commandsOnUnknownFlowsAndBadArgumentsExplainThemselves() throws Exception {
        control.run("\\w 99");
        control.run("\\d abc");
        control.run("\\x");
        assertThat(printed.get(0)).contains("no flow 99");
        assertThat(printed.get(1)).contains("needs a flow id");
        assertThat(printed.get(2)).contains("unknown command");
        assertThat(control.run("\\q")).isEqualTo(ControlCommands.Outcome.QUIT);
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        control.run("\\h");
        assertThat(printed.get(0)).contains("\\f", "\\w", "\\u", "\\d", "\\D", "\\set", "\\h", "\\q");
    }
}
