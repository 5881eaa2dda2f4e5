package io.sluice.core.agent;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.config.AgentProperties;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.config.Substitutor;
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

/**
 * Configuration files a careless editor or a hostile author writes: a byte order mark, UTF-8 text,
 * bytes that are not UTF-8, an agent without a source, and {@code ${...}} references that would
 * expand without end.
 */
class HostileConfigTest {
    private static final String SEQ_TO_NULL = String.join("\n",
            "a1.sources = r1",
            "a1.channels = c1",
            "a1.sinks = k1",
            "a1.sources.r1.type = seq",
            "a1.sources.r1.channels = c1",
            "a1.channels.c1.type = memory",
            "a1.sinks.k1.type = null",
            "a1.sinks.k1.channel = c1",
            "");

    @TempDir
    Path dir;

    private ValidationReport validateFile(byte[] content) throws IOException {
        Path f = Files.write(dir.resolve("flume.conf"), content);
        return Agent.validate(new AgentSpec("a1", f, Map.of(), dir));
    }

    private static byte[] withBom(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    @Test
    void byteOrderMarkBeforeTheFirstKeyIsSkipped() throws IOException {
        ValidationReport r = validateFile(withBom(SEQ_TO_NULL));
        assertThat(r.problems()).as(r.render()).isEmpty();
        assertThat(r.warnings()).as(r.render()).isEmpty();
        assertThat(OrderedProperties.parse("\uFEFFa1.sources = r1")).containsOnlyKeys("a1.sources");
    }

    @Test
    void anAgentWithSinksButNoSourceIsAProblemUnlessTheFileAllowsIt() throws IOException {
        String noSource = SEQ_TO_NULL.replace("a1.sources = r1\n", "");
        ValidationReport r = validateFile(noSource.getBytes(StandardCharsets.UTF_8));
        assertThat(r.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources");
        assertThat(r.problems().get(0).rule()).contains("no source");
        assertThat(r.problems().get(0).fix()).contains("a1.allowNoSources = true");

        ValidationReport allowed = validateFile((noSource + "a1.allowNoSources = true\n").getBytes(StandardCharsets.UTF_8));
        assertThat(allowed.problems()).as(allowed.render()).isEmpty();
        assertThat(allowed.warnings()).as(allowed.render()).noneMatch(w -> w.contains("allowNoSources"));

        ValidationReport typo = validateFile((noSource + "a1.allowNoSources = yes\n").getBytes(StandardCharsets.UTF_8));
        assertThat(typo.problems()).extracting(ConfigProblem::key).containsExactly("a1.allowNoSources");
    }

    @Test
    void filesAreReadAsUtf8KeepingUnicodeEscapes() throws IOException {
        Path f = Files.writeString(dir.resolve("utf8.conf"),
                "a1.sources.r1.interceptors.i1.value = caf\u00e9 \u2713\na1.sources.r1.escaped = \\u00e9\n",
                StandardCharsets.UTF_8);
        Map<String, String> p = OrderedProperties.load(f);
        assertThat(p.get("a1.sources.r1.interceptors.i1.value")).isEqualTo("caf\u00e9 \u2713");
        assertThat(p.get("a1.sources.r1.escaped")).isEqualTo("\u00e9");
    }

    @Test
    void bytesThatAreNotUtf8AreAProblemNamingTheOffset() throws IOException {
        byte[] latin1 = (SEQ_TO_NULL + "a1.sources.r1.x = caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        ValidationReport r = validateFile(latin1);
        assertThat(r.problems()).hasSize(1);
        assertThat(r.problems().get(0).rule()).contains("is not UTF-8").contains("byte " + (latin1.length - 2))
                .doesNotContain("Exception");
    }

    @Test
    void exponentialExpansionIsRefusedNamingTheKey() {
        // Ten levels of ten references each: 10^10 copies of the innermost value if unbounded.
        StringBuilder text = new StringBuilder("l0 = xxxxxxxxxx\n");
        for (int level = 1; level <= 10; level++) {
            text.append('l').append(level).append(" =");
            for (int i = 0; i < 10; i++) {
                text.append(" ${l").append(level - 1).append('}');
            }
            text.append('\n');
        }
        text.append("a1.sources.r1.bomb = ${l10}\n");
        text.append("a1.sources.r1.fine = ${l2}\n");
        AgentProperties p = AgentProperties.fromMap("a1", OrderedProperties.parse(text.toString()), Map.of(), "t");
        assertThat(p.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources.r1.bomb");
        assertThat(p.problems().get(0).rule()).contains("more than " + Substitutor.MAX_EXPANDED_CHARS + " characters");
        assertThat(p.all().get("a1.sources.r1.bomb")).isEqualTo("${l10}");
        assertThat(p.all().get("a1.sources.r1.fine")).hasSize(10 * (10 * 10 + 9) + 9)
                .startsWith("xxxxxxxxxx xxxxxxxxxx");
    }

    @Test
    void deepChainsOfReferencesAreRefusedNamingTheKey() {
        StringBuilder text = new StringBuilder("k0 = end\n");
        for (int i = 1; i <= 40; i++) {
            text.append('k').append(i).append(" = ${k").append(i - 1).append("}\n");
        }
        text.append("a1.sources.r1.deep = ${k40}\na1.sources.r1.shallow = ${k10}\n");
        AgentProperties p = AgentProperties.fromMap("a1", OrderedProperties.parse(text.toString()), Map.of(), "t");
        assertThat(p.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources.r1.deep");
        assertThat(p.problems().get(0).rule()).contains("nested more than " + Substitutor.MAX_DEPTH + " levels");
        assertThat(p.all().get("a1.sources.r1.shallow")).isEqualTo("end");
    }

    @Test
    void aPlainReferenceThatNamesNothingStaysAsWrittenWithAWarning() {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Substitutor s = new Substitutor(Map.of(), Map.of(), Map.of());
        assertThat(s.resolve("a1.sources.r1.x", "pre ${nothing.here} post", problems, warnings))
                .isEqualTo("pre ${nothing.here} post");
        assertThat(problems).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("a1.sources.r1.x: ${nothing.here}")
                .contains("stays as written");

        AgentProperties p = AgentProperties.fromMap("a1", OrderedProperties.parse("a1.sources.r1.x = ${nothing}"),
                Map.of(), "t");
        assertThat(p.problems()).isEmpty();
        assertThat(p.warnings()).singleElement().asString().contains("a1.sources.r1.x");
    }
}
