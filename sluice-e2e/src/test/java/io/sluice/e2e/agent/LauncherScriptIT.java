package io.sluice.e2e.agent;

import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Distribution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/sluice}, the launcher the README starts with, runs the built distribution (with
 * {@code SLUICE_NO_BUILD=1}, so a test never starts a Maven build): {@code version},
 * {@code --help}, and a short {@code demo} whose output shows events flowing.
 */
class LauncherScriptIT {

    @TempDir
    Path dir;

    private ChildProcess launch(String name, String... args) throws Exception {
        Distribution.sluice(); // fails early, saying what to build, when the distribution is missing
        List<String> command = new ArrayList<>(List.of("bash", Distribution.home().resolve("bin/sluice").toString()));
        command.addAll(Arrays.asList(args));
        return ChildProcess.start(name, command, dir, Map.of("SLUICE_NO_BUILD", "1"));
    }

    @Test
    void versionAndHelpRunThroughTheLauncher() throws Exception {
        try (ChildProcess version = launch("bin-sluice-version", "version")) {
            assertThat(version.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(version.stdout()).singleElement().asString().startsWith("Sluice ");
        }
        try (ChildProcess help = launch("bin-sluice-help", "--help")) {
            assertThat(help.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(help.output()).contains("agent").contains("validate").contains("demo").contains("version")
                    .contains("components");
        }
    }

    @Test
    void demoShowsEventsFlowingAndStopsByItself() throws Exception {
        try (ChildProcess demo = launch("bin-sluice-demo", "demo", "--duration", "5", "--rate", "1000")) {
            assertThat(demo.awaitExit(Duration.ofSeconds(90))).as(demo.tail()).isZero();
            assertThat(demo.output())
                    .contains("[demo.sinks.log] Event:")
                    .contains("hello from Sluice #1")
                    .contains("[demo] greetings:")
                    .contains("curl http://127.0.0.1:")
                    .contains("[demo] stopped");
        }
    }
}
