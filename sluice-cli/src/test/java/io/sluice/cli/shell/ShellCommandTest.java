package io.sluice.cli.shell;

import io.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice shell --local -e/-f}, run in-process through the launcher's command line. */
class ShellCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void keepTestLogging() {
        System.setProperty("sluice.shell.keepLogging", "true");
    }

    /** stdout, stderr and exit status of one run. */
    record Run(int status, String out, String err) {
    }

    private Run shell(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "shell";
        System.arraycopy(args, 0, full, 1, args.length);
        int status = cl.execute(full);
        return new Run(status, out.toString().replace("\r\n", "\n"), err.toString());
    }

    private String clicks() throws Exception {
        Path f = dir.resolve("clicks.csv");
        Files.write(f, List.of("1000,alice,/home,40", "1500,bob,/cart,120", "2200,alice,/cart,80", "2900,carol,/home,\\N"));
        return "CREATE STREAM clicks (ts TIMESTAMP, user STRING, page STRING, ms INT) FROM LOCAL FILE '"
                + f.toAbsolutePath() + "' EVENT FORMAT 'delimited' PROPERTIES ('timestamp.col' = 'ts');";
    }

    @Test
    void csvPrintsOnlyAHeaderAndRowsPerSelectOnStdout() throws Exception {
        Run r = shell("--local", "--format", "csv", "-e", clicks()
                + " SELECT user, ms FROM clicks WHERE ms > 50;"
                + " SELECT page, COUNT(*) AS hits FROM clicks GROUP BY page OVER TUMBLING INTERVAL 1 MINUTE HAVING hits > 1;");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.subList(0, 3)).containsExactly("user,ms", "bob,120", "alice,80");
        assertThat(lines.get(3)).isEqualTo("page,hits");
        assertThat(lines.subList(4, lines.size())).containsExactlyInAnyOrder("/home,2", "/cart,2");
        assertThat(r.err()).contains("flow");
    }

    @Test
    void aBadStatementIsReportedWithItsPositionAndTheNextStatementsStillRun() throws Exception {
        String script = clicks() + " SELECT pgae FROM clicks; SELECT user FROM clicks WHERE ms = 40;";
        Run r = shell("--local", "--format", "csv", "-e", script);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("-e: line 1:" + (script.indexOf("pgae") + 1)
                + ": column 'pgae' does not exist in stream 'clicks' (did you mean 'page'?)");
        assertThat(r.out()).isEqualTo("user\nalice\n");
    }

    @Test
    void statementsComeFromAFile() throws Exception {
        Path script = dir.resolve("q.sql");
        Files.writeString(script, clicks() + "\n-- the slow ones\nSELECT user\n  FROM clicks\n  WHERE ms >= 80;\n");
        Run r = shell("--local", "-f", script.toString(), "--format", "tsv");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("user\nbob\nalice\n");
    }

    @Test
    void errorsInAFileNameTheFileLineAndColumn() throws Exception {
        Path script = dir.resolve("bad.sql");
        Files.writeString(script, clicks() + "\n\nSELECT user,\n       pgae FROM clicks;\n");
        Run r = shell("--local", "-f", script.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(script + ": line 4:8: column 'pgae'");
    }

    @Test
    void jsonPrintsOneObjectPerRowWithNullAsNull() throws Exception {
        Run r = shell("--local", "--format", "json", "-e", clicks() + " SELECT user, ms FROM clicks WHERE page = '/home';");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("{\"user\":\"alice\",\"ms\":40}\n{\"user\":\"carol\",\"ms\":null}\n");
    }

    @Test
    void describeAndShowGoToStderrOnly() throws Exception {
        Run r = shell("--local", "--format", "csv", "-e", clicks() + " DESCRIBE clicks; SHOW STREAMS;");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("clicks").contains("TIMESTAMP");
    }

    @Test
    void rejectedEventsAreReportedOnStderr() throws Exception {
        Path f = dir.resolve("v.csv");
        Files.write(f, List.of("1,a", "x,b"));
        Run r = shell("--local", "--format", "csv", "-e", "CREATE STREAM v (id INT NOT NULL, name STRING) FROM FILE '"
                + f.toAbsolutePath() + "' EVENT FORMAT 'delimited'; SELECT name FROM v;");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("name\na\n");
        assertThat(r.err()).contains("1 event(s) rejected");
    }

    @Test
    void settingsApplyBeforeTheFirstStatement() throws Exception {
        Path f = dir.resolve("late.csv");
        Files.write(f, List.of("10100,1", "11100,2", "10500,4"));
        String create = "CREATE STREAM lt (ts TIMESTAMP, v INT) FROM FILE '" + f.toAbsolutePath()
                + "' EVENT FORMAT 'delimited' PROPERTIES ('timestamp.col' = 'ts');";
        String select = " SELECT SUM(v) AS s, WINDOW_START() AS ws FROM lt OVER TUMBLING INTERVAL 1 SECOND;";
        Run byDefault = shell("--local", "--format", "csv", "-e", create + select);
        Run noSlack = shell("--local", "--format", "csv", "--set", "rtsql.slack.time=0", "-e", create + select);
        assertThat(byDefault.out().lines()).containsExactlyInAnyOrder("s,ws", "5,10000", "2,11000");
        assertThat(noSlack.out().lines()).containsExactlyInAnyOrder("s,ws", "1,10000", "2,11000");
        assertThat(noSlack.err()).contains("1 late event(s)");
    }

    @Test
    void withoutLocalTheShellRefusesToStart() {
        Run r = shell("-e", "SHOW STREAMS;");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--local");
    }

    @Test
    void anUnknownFormatIsRefused() {
        Run r = shell("--local", "--format", "xml", "-e", "SHOW STREAMS;");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("xml").contains("csv");
    }

    @Test
    void aSyntaxErrorGivesANonZeroExit() {
        Run r = shell("--local", "-e", "SELEC 1;");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("line 1:1");
        assertThat(r.out()).isEmpty();
    }
}
