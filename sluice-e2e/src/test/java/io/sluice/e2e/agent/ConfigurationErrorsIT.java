package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice validate} and {@code sluice agent} on good and bad configurations: a bad one is
 * never half-started; every problem is listed, numbered, with the full key.
 */
class ConfigurationErrorsIT {
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Five independent mistakes, plus a healthy netcat source that must never start listening. */
    private Path brokenConfig(int healthyPort) {
        return AgentConfig.of("a1")
                .components("r1 r2 r3", "c1", "k1 k2")
                .set("sources.r1.type", "no-such-source").set("sources.r1.channels", "c1")
                .netcatSource("r2", 70000, "c1")
                .netcatSource("r3", healthyPort, "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", "lots")
                .set("channels.c1.transactionCapacity", 100)
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c9")
                .set("sinks.k2.type", "null").set("sinks.k2.channel", "c1").set("sinks.k2.batchSize", 5000)
                .writeTo(dir);
    }

    @Test
    void agentWithABadConfigurationDoesNotStartAndListsEveryProblem() throws Exception {
        int healthyPort = Ports.free();
        Path conf = brokenConfig(healthyPort);

        try (ChildProcess agent = SluiceCli.startAgent("bad-config", dir, conf, "a1")) {
            int code = agent.awaitExit(EXIT);

            assertThat(code).as(agent.tail()).isEqualTo(1);
            String err = String.join("\n", agent.stderr());
            assertThat(err)
                    .contains("a1.sources.r1.type = no-such-source")
                    .contains("a1.sources.r2.port = 70000")
                    .contains("a1.channels.c1.capacity = lots")
                    .contains("a1.sinks.k1.channel = c9")
                    .contains("a1.sinks.k2.batchSize = 5000")
                    .contains("1. ").contains("2. ").contains("3. ").contains("4. ").contains("5. ");
            assertThat(agent.output()).doesNotContain("started:");
            assertThat(Ports.isListening(healthyPort)).isFalse();
        }
    }

    @Test
    void validateListsTheSameProblemsAndExitsOne() throws Exception {
        Path conf = brokenConfig(Ports.free());

        SluiceCli.Result r = SluiceCli.run(dir, EXIT, "validate", "-n", "a1", "-f", conf.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains("5 problems")
                .contains("1. ").contains("5. ")
                .contains("a1.sources.r1.type = no-such-source")
                .contains("a1.sinks.k1.channel = c9")
                .doesNotContain("Configuration OK");
    }

    @Test
    void validateOfAGoodConfigurationPrintsOkAndTheComponentGraph() throws Exception {
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .set("sources.r1.type", "seq").set("sources.r1.channels", "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "logger").set("sinks.k1.channel", "c1")
                .line("# a second agent in the same file is ignored when -n picks a1")
                .line("other.sources = x")
                .writeTo(dir);

        SluiceCli.Result r = SluiceCli.run(dir, EXIT, "validate", "-n", "a1", "-f", conf.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("Configuration OK").contains("r1").contains("c1").contains("k1");
    }

    @Test
    void anUnknownKeyIsAWarningThatNamesTheNearestKnownKey() throws Exception {
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .set("sources.r1.type", "seq").set("sources.r1.channels", "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capactiy", 10)
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir);

        SluiceCli.Result r = SluiceCli.run(dir, EXIT, "validate", "-n", "a1", "-f", conf.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("Configuration OK")
                .contains("a1.channels.c1.capactiy")
                .contains("did you mean 'capacity'");
    }

    @Test
    void aPortInUseStopsTheStartWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path conf = AgentConfig.of("a1")
                    .components("r1", "c1", "k1")
                    .netcatSource("r1", taken.getLocalPort(), "c1")
                    .set("channels.c1.type", "memory")
                    .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                    .writeTo(dir);

            try (ChildProcess agent = SluiceCli.startAgent("port-in-use", dir, conf, "a1")) {
                assertThat(agent.awaitExit(EXIT)).as(agent.tail()).isEqualTo(1);
                assertThat(String.join("\n", agent.stderr()))
                        .contains("[a1] did not start")
                        .contains("Address already in use");
            }
        }
    }

    @Test
    void versionPrintsTheBuiltVersion() throws Exception {
        SluiceCli.Result r = SluiceCli.run(dir, EXIT, "version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).matches("Sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*\\)");
    }
}
