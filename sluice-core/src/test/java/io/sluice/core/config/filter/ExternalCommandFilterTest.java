package io.sluice.core.config.filter;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.config.AgentProperties;
import io.sluice.core.config.OrderedProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Flume's {@code external} config filter, with a real program: its first output line is the
 * value; a failure, no output or a missing command is a problem naming the filter and the key.
 */
class ExternalCommandFilterTest {
    @TempDir
    Path dir;

    private Path resolver;

    @BeforeEach
    void writeResolver() throws Exception {
        // Prints a secret for known keys (and a second line that must be ignored); fails for others.
        resolver = Files.writeString(dir.resolve("resolver.sh"), String.join("\n",
                "#!/bin/sh",
                "for key; do :; done",
                "echo \"$key\" >> \"" + dir.resolve("calls") + "\"",
                "case \"$key\" in",
                "  db_password) printf 's3cr\\303\\251t\\nsecond line\\n' ;;",
                "  empty) ;;",
                "  *) echo \"no secret named $key\" >&2; exit 3 ;;",
                "esac", ""));
        Files.setPosixFilePermissions(resolver, PosixFilePermissions.fromString("rwx------"));
    }

    private AgentProperties read(String... lines) {
        return AgentProperties.fromMap("a1", OrderedProperties.parse(String.join("\n", lines)), Map.of(), "test");
    }

    @Test
    void firstOutputLineIsTheValueAndEachKeyRunsOnce() throws Exception {
        AgentProperties p = read(
                "a1.configfilters = f1",
                "a1.configfilters.f1.type = external",
                "a1.configfilters.f1.command = " + resolver + " --flag",
                "a1.sinks.k1.password = ${f1['db_password']}",
                "a1.sinks.k2.password = ${f1[\"db_password\"]}");

        assertThat(p.problems()).isEmpty();
        assertThat(p.all()).containsEntry("a1.sinks.k1.password", "s3cr\u00e9t")
                .containsEntry("a1.sinks.k2.password", "s3cr\u00e9t");
        assertThat(Files.readAllLines(dir.resolve("calls"))).containsExactly("db_password");
    }

    @Test
    void flumeClassNameAndCharsetWork() {
        AgentProperties p = read(
                "a1.configfilters = f1",
                "a1.configfilters.f1.type = org.apache.flume.configfilter.ExternalProcessConfigFilter",
                "a1.configfilters.f1.command = " + resolver,
                "a1.configfilters.f1.charset = ISO-8859-1",
                "a1.sinks.k1.password = ${f1['db_password']}");

        assertThat(p.problems()).isEmpty();
        assertThat(p.all()).containsEntry("a1.sinks.k1.password", "s3cr\u00c3\u00a9t");
    }

    @Test
    void failuresAreProblemsThatNameFilterKeyAndStderr() {
        AgentProperties p = read(
                "a1.configfilters = f1 f2 f3",
                "a1.configfilters.f1.type = external",
                "a1.configfilters.f1.command = " + resolver,
                "a1.configfilters.f2.type = external",
                "a1.configfilters.f3.type = external",
                "a1.configfilters.f3.command = " + dir.resolve("no-such-program"),
                "a1.sinks.k1.unknown = ${f1['nope']}",
                "a1.sinks.k1.empty = ${f1['empty']}",
                "a1.sinks.k1.viaBroken = ${f2['x']}",
                "a1.sinks.k1.missing = ${f3['x']}");

        assertThat(p.problems()).extracting(ConfigProblem::key).containsExactly("a1.configfilters.f2.command",
                "a1.sinks.k1.unknown", "a1.sinks.k1.empty", "a1.sinks.k1.viaBroken", "a1.sinks.k1.missing");
        assertThat(p.problems().get(1).rule()).contains("config filter 'f1'").contains("nope")
                .contains("exited with status 3").contains("no secret named nope");
        assertThat(p.problems().get(2).rule()).contains("printed nothing");
        assertThat(p.problems().get(3).rule()).contains("config filter 'f2', which has a problem of its own");
        assertThat(p.problems().get(4).rule()).contains("cannot run");
    }
}
