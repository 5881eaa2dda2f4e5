package io.sluice.e2e.agent;

import io.sluice.e2e.support.Distribution;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root README's tour shows real output: the two {@code bin/sluice validate} examples print
 * exactly what the README says. When this fails, paste the actual output into README.md.
 */
class ReadmeExamplesIT {
    private static final String BROKEN = "/tmp/broken.conf";

    @TempDir
    Path dir;

    private static String readme() throws Exception {
        return Files.readString(Distribution.home().resolve("README.md"));
    }

    /** The lines of the fenced block that follow {@code $ <command>} up to the closing fence. */
    private static String outputAfter(String readme, String command) {
        int at = readme.indexOf("$ " + command + "\n");
        assertThat(at).as("README shows '$ %s'", command).isNotNegative();
        int start = at + command.length() + 3;
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void validateOfTheExampleConfigurationPrintsWhatTheReadmeShows() throws Exception {
        String command = "bin/sluice validate -n a1 -f sluice-cli/src/dist/conf/flume.conf";

        SluiceCli.Result r = SluiceCli.run(Distribution.home(), Duration.ofSeconds(60),
                "validate", "-n", "a1", "-f", "sluice-cli/src/dist/conf/flume.conf");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).as("README.md must show the actual output of '%s'", command)
                .isEqualTo(outputAfter(readme(), command).strip());
    }

    @Test
    void validateOfTheBrokenConfigurationPrintsWhatTheReadmeShows() throws Exception {
        String readme = readme();
        String heredoc = "$ cat > " + BROKEN + " <<'EOF'\n";
        int start = readme.indexOf(heredoc);
        assertThat(start).as("README writes " + BROKEN).isNotNegative();
        start += heredoc.length();
        Path broken = Files.writeString(dir.resolve("broken.conf"), readme.substring(start, readme.indexOf("EOF\n", start)));
        String command = "bin/sluice validate -n a1 -f " + BROKEN;

        SluiceCli.Result r = SluiceCli.run(dir, Duration.ofSeconds(60), "validate", "-n", "a1", "-f", broken.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out().replace(broken.toString(), BROKEN).strip())
                .as("README.md must show the actual output of '%s'", command)
                .isEqualTo(outputAfter(readme, command).strip());
    }
}
