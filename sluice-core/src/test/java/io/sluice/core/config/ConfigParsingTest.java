package io.sluice.core.config;

import io.sluice.api.config.ConfigProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigParsingTest {
    @TempDir
    Path dir;

    @Test
    void keepsFileOrderAndPropertiesSyntax() {
        Map<String, String> p = OrderedProperties.parse(String.join("\n",
                "# comment",
                "a1.sources = r1",
                "! another comment",
                "a1.channels : c1",
                "a1.sinks k1",
                "a1.sources.r1.type = exec",
                "a1.sources.r1.command = tail \\",
                "    -F /var/log/x",
                "a1.sources.r1.escaped = tab\\there \\u0041",
                "a1.sources = r1 r2"));
        assertThat(p.keySet()).containsExactly("a1.sources", "a1.channels", "a1.sinks", "a1.sources.r1.type",
                "a1.sources.r1.command", "a1.sources.r1.escaped");
        assertThat(p.get("a1.sources")).isEqualTo("r1 r2");
        assertThat(p.get("a1.channels")).isEqualTo("c1");
        assertThat(p.get("a1.sinks")).isEqualTo("k1");
        assertThat(p.get("a1.sources.r1.command")).isEqualTo("tail -F /var/log/x");
        assertThat(p.get("a1.sources.r1.escaped")).isEqualTo("tab\there A");
    }

    @Test
    void picksOneAgentOfSeveral() throws IOException {
        Path f = dir.resolve("flume.conf");
        Files.writeString(f, String.join("\n",
                "a1.sources = r1",
                "a1.sources.r1.type = seq",
                "b2.sources = x",
                "b2.sources.x.type = netcat",
                "a1.channels = c1"), StandardCharsets.ISO_8859_1);
        AgentProperties a1 = AgentProperties.fromFile("a1", f, Map.of());
        assertThat(a1.all().keySet()).containsExactly("a1.sources", "a1.sources.r1.type", "a1.channels");
        assertThat(a1.list("sources")).containsExactly("r1");
        AgentProperties b2 = AgentProperties.fromFile("b2", f, Map.of());
        assertThat(b2.all()).containsOnlyKeys("b2.sources", "b2.sources.x.type");
        assertThat(a1.problems()).isEmpty();
    }

    @Test
    void unknownAgentNameIsAProblemThatNamesTheAgentsInTheFile() {
        AgentProperties p = AgentProperties.fromMap("a2", OrderedProperties.parse("a1.sources = r1\nb1.sinks = k1"),
                Map.of(), "flume.conf");
        assertThat(p.problems()).hasSize(1);
        assertThat(p.problems().get(0).rule()).contains("no key in flume.conf starts with 'a2.'")
                .contains("[a1, b1]").contains("did you mean 'a1'?");
    }

    @Test
    void substitutesEnvSysAndOtherKeys() {
        String envName = System.getenv().containsKey("PATH") ? "PATH" : System.getenv().keySet().iterator().next();
        Map<String, String> file = OrderedProperties.parse(String.join("\n",
                "base = /data",
                "a1.sinks.k1.dir = ${base}/out",
                "a1.sinks.k1.env = ${env:" + envName + "}",
                "a1.sinks.k1.sys = ${sys:sluice.test.port}",
                "a1.sinks.k1.plainSys = ${sluice.test.port}",
                "a1.sinks.k1.nested = ${env:${sys:sluice.test.which}}",
                "a1.sinks.k1.literal = $${not.a.reference}"));
        AgentProperties p = AgentProperties.fromMap("a1", file,
                Map.of("sluice.test.port", "4141", "sluice.test.which", envName), "test");
        assertThat(p.problems()).isEmpty();
        assertThat(p.all().get("a1.sinks.k1.dir")).isEqualTo("/data/out");
        assertThat(p.all().get("a1.sinks.k1.env")).isEqualTo(System.getenv(envName));
        assertThat(p.all().get("a1.sinks.k1.sys")).isEqualTo("4141");
        assertThat(p.all().get("a1.sinks.k1.plainSys")).isEqualTo("4141");
        assertThat(p.all().get("a1.sinks.k1.nested")).isEqualTo(System.getenv(envName));
        assertThat(p.all().get("a1.sinks.k1.literal")).isEqualTo("${not.a.reference}");
    }

    @Test
    void unresolvableReferencesAreProblemsNotEmptyStrings() {
        List<ConfigProblem> problems = new ArrayList<>();
        Substitutor s = new Substitutor(Map.of("loop", "${loop}"), Map.of(), Map.of());
        assertThat(s.resolve("a1.x", "${env:SLUICE_SURELY_UNSET}", problems)).isEqualTo("${env:SLUICE_SURELY_UNSET}");
        s.resolve("a1.y", "${sys:nope}", problems);
        assertThat(s.resolve("a1.z", "${nothing}", problems)).isEqualTo("${nothing}"); // a warning, as in Flume
        s.resolve("a1.w", "${unclosed", problems);
        s.resolve("loop", "${loop}", problems);
        assertThat(problems).extracting(ConfigProblem::key).containsExactly("a1.x", "a1.y", "a1.w", "loop");
        assertThat(problems.get(0).rule()).contains("environment variable 'SLUICE_SURELY_UNSET'");
        assertThat(problems.get(1).fix()).contains("-Dnope=");
        assertThat(problems.get(2).rule()).contains("without a closing");
        assertThat(problems.get(3).rule()).contains("refers to itself");
    }

    @Test
    void flumeEnvironmentConfigFilterResolvesEnvironmentVariables() {
        String envName = System.getenv().keySet().iterator().next();
        Map<String, String> file = OrderedProperties.parse(String.join("\n",
                "a1.configfilters = f1",
                "a1.configfilters.f1.type = env",
                "a1.sources.r1.command = ${f1['" + envName + "']}",
                "a1.sources.r1.missing = ${f1['SLUICE_SURELY_UNSET']}"));
        AgentProperties p = AgentProperties.fromMap("a1", file, Map.of(), "test");
        assertThat(p.all().get("a1.sources.r1.command")).isEqualTo(System.getenv(envName));
        assertThat(p.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources.r1.missing");

        AgentProperties other = AgentProperties.fromMap("a1", OrderedProperties.parse(
                "a1.configfilters = f2\na1.configfilters.f2.type = hadoop\na1.sources.r1.x = ${f2['k']}"), Map.of(), "t");
        assertThat(other.problems()).extracting(ConfigProblem::key)
                .containsExactly("a1.configfilters.f2.type", "a1.sources.r1.x");
    }
}
