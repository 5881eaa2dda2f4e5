package io.sluice.cli;

import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands run in-process through picocli, as Main runs them. */
class CommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @AfterEach
    void forgetSystemPropertiesSetByMinusD() {
        System.clearProperty("flume.monitoring.type");
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void validateAcceptsAGoodConfigurationAndPrintsTheGraph() throws Exception {
        Path conf = Files.writeString(dir.resolve("flume.conf"), String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1", ""));

        assertThat(run("validate", "-n", "a1", "-f", conf.toString())).isZero();
        assertThat(out.toString()).startsWith("Configuration OK").contains("r1 (seq) -> c1");
    }

    @Test
    void validateNumbersEveryProblemAndExitsOne() throws Exception {
        Path conf = Files.writeString(dir.resolve("flume.conf"), String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c7",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = -5",
                "a1.sinks.k1.channel = c1", ""));

        assertThat(run("validate", "-n", "a1", "-f", conf.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("1. ").contains("2. ").contains("3. ")
                .contains("a1.sources.r1.channels")
                .contains("a1.channels.c1.capacity = -5")
                .contains("a1.sinks.k1.type");
    }

    @Test
    void agentWithAMissingFileSaysWhichFileAndExitsOne() {
        Path missing = dir.resolve("nope.conf");

        assertThat(run("agent", "-n", "a1", "-f", missing.toString(), "--no-reload-conf")).isEqualTo(1);
        assertThat(err.toString()).contains(missing.toString()).contains("does not exist");
    }

    @Test
    void agentWithAnUnsupportedMonitoringTypeIsAUsageError() throws Exception {
        Path conf = Files.writeString(dir.resolve("flume.conf"), "a1.sources = \n");

        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "-Dflume.monitoring.type=ganglia")).isEqualTo(2);
        assertThat(err.toString()).contains("only 'http' is supported");
    }

    @Test
    void rtsqlOptionsAreCheckedBeforeTheAgentStarts() throws Exception {
        Path conf = Files.writeString(dir.resolve("flume.conf"), "a1.sources = \n");

        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "--rtsql-tls")).isEqualTo(2);
        assertThat(err.toString()).contains("need --rtsql-server HOST:PORT");
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "--rtsql-server", "localhost",
                "--rtsql-token-file", token.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'localhost' is not HOST:PORT");
        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "--rtsql-server", "127.0.0.1:9292",
                "--rtsql-token-file", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read the token file");
        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "--rtsql-tee-cpu", "0.2")).isEqualTo(2);
        assertThat(err.toString()).contains("--rtsql-tee-cpu needs --rtsql-server HOST:PORT");
        for (String bad : new String[] {"0", "1.5", "-0.1"}) {
            assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "--rtsql-server", "127.0.0.1:9292",
                    "--rtsql-token-file", token.toString(), "--rtsql-tee-cpu", bad)).isEqualTo(2);
            assertThat(err.toString()).contains("--rtsql-tee-cpu: " + Double.parseDouble(bad) + " (expected: > 0 and <= 1");
        }
        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "--rtsql-server", "127.0.0.1:9292",
                "--rtsql-token-file", token.toString(), "--rtsql-tee-cpu", "a tenth")).isEqualTo(2);
        assertThat(err.toString()).contains("--rtsql-tee-cpu");
    }

    @Test
    void agentRequiresANameAndAConfiguration() {
        assertThat(run("agent")).isEqualTo(2);
        assertThat(err.toString()).contains("--name");
        assertThat(run("agent", "-n", "a1")).isEqualTo(2);
        assertThat(err.toString()).contains("give the configuration with -f/--conf-file FILE, -u/--conf-uri URL");
    }

    @Test
    void agentDryrunValidatesAndExitsWithoutStarting() throws Exception {
        Path good = Files.writeString(dir.resolve("good.conf"), String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = netcat", "a1.sources.r1.bind = 127.0.0.1", "a1.sources.r1.port = 1",
                "a1.sources.r1.channels = c1", "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1", ""));
        Path override = Files.writeString(dir.resolve("override.conf"), "a1.channels.c1.capacity = -5\n");

        assertThat(run("agent", "-n", "a1", "-f", good.toString(), "--dryrun")).isZero();
        assertThat(out.toString()).contains("Dry run of agent 'a1' (nothing started): Configuration OK");
        assertThat(run("agent", "-n", "a1", "-f", good.toString(), "-f", override.toString(), "-d")).isEqualTo(1);
        assertThat(out.toString()).contains("a1.channels.c1.capacity = -5");
    }

    @Test
    void flumeOptionsSluiceDoesNotHaveSayWhy() throws Exception {
        Path conf = Files.writeString(dir.resolve("flume.conf"), "a1.sources = \n");

        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "--conf-provider", "x.Y")).isEqualTo(2);
        assertThat(err.toString()).contains("-prov/--conf-provider are not supported");
        assertThat(run("agent", "-n", "a1", "-f", conf.toString(), "-C", "x.jar")).isEqualTo(2);
        assertThat(err.toString()).contains("-C/--classpath and --plugins-path are handled by the launcher");
        assertThat(run("agent", "-n", "a1", "-u", "http://127.0.0.1:1/x", "--conf-user", "u")).isEqualTo(2);
        assertThat(err.toString()).contains("--conf-user and --conf-password go together");
    }

    @Test
    void versionPrintsTheVersion() {
        assertThat(run("version")).isZero();
        assertThat(out.toString()).startsWith("Sluice " + Version.get());
        assertThat(Version.get()).doesNotContain("${").isNotEqualTo("unknown");
    }

    @Test
    void demoPrintsItsConfigurationInFlumeFormat() {
        assertThat(run("demo", "--print-config")).isZero();
        assertThat(out.toString()).contains("demo.sources = greetings load").contains("demo.sinks.log.type = logger");
    }

    @Test
    void theDemoConfigurationIsValid() {
        var report = Agent.validate(AgentSpec.fromProperties(
                DemoCommand.AGENT, DemoCommand.configuration(1000), dir));

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void confDirWithALogbackFileConfiguresLogging() {
        assertThat(LogSetup.confDir(new String[] {"agent", "-n", "a1", "-c", "conf", "-f", "x"}))
                .isEqualTo(Path.of("conf"));
        assertThat(LogSetup.confDir(new String[] {"agent", "--conf=etc"})).isEqualTo(Path.of("etc"));
        assertThat(LogSetup.confDir(new String[] {"agent", "-n", "a1"})).isNull();
    }

    @Test
    void componentsListsTheBuiltInTypesAndTheKeysOfOne() {
        assertThat(run("components")).isZero();
        assertThat(out.toString()).contains("memory").contains("file_roll").contains("load_balance");

        out.getBuffer().setLength(0);
        assertThat(run("components", "memory")).isZero();
        assertThat(out.toString()).contains("channel memory").contains("transactionCapacity").contains("keep-alive");
    }

    @Test
    void componentsOfOneTypeSaysWhatItDoes() {
        assertThat(run("components", "memory")).isZero();
        assertThat(out.toString()).startsWith("channel memory (also: org.apache.flume.channel.MemoryChannel)"
                + System.lineSeparator() + "  Holds events in memory");
    }

    @Test
    void componentsOfAnUnknownTypeSaysSoAndExitsOne() {
        assertThat(run("components", "hdfs-typo")).isEqualTo(1);
        assertThat(err.toString()).contains("no component type 'hdfs-typo'");
    }

    @Test
    void componentsMarkdownHasATableOfKeysPerType() {
        assertThat(run("components", "--markdown")).isZero();
        assertThat(out.toString()).startsWith("# Component reference")
                .contains("### `netcat`")
                .contains("| `max-line-length` |");
    }
}
