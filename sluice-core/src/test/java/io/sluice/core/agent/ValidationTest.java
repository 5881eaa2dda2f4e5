package io.sluice.core.agent;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.config.OrderedProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTest {
    @TempDir
    Path dir;

    private ValidationReport validate(String... lines) {
        return Agent.validate(AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n", lines)), dir));
    }

    static ConfigProblem problemAt(ValidationReport r, String key) {
        List<ConfigProblem> at = r.problems().stream().filter(p -> p.key().equals(key)).collect(Collectors.toList());
        assertThat(at).as("problems at " + key + " in\n" + r.render()).hasSize(1);
        return at.get(0);
    }

    @Test
    void badFileReportsEveryProblemWithKeyValueRuleAndFix() {
        ValidationReport r = validate(
                "a1.sources = r1 r2 r3",
                "a1.channels = c1 c2 c3",
                "a1.sinks = k1 k2 k3",
                "a1.sinkgroups = g1 g2",
                // 1. unknown type, with did-you-mean
                "a1.channels.c1.type = memroy",
                // 2. transactionCapacity > capacity
                "a1.channels.c2.type = memory",
                "a1.channels.c2.capacity = 10",
                "a1.channels.c2.transactionCapacity = 50",
                // 3. not a number
                "a1.channels.c3.type = memory",
                "a1.channels.c3.capacity = lots",
                // 4. source pointing at a channel that does not exist
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c9",
                // 5. batch size larger than the channel's transactionCapacity (c3 keeps default 100)
                "a1.sources.r2.type = seq",
                "a1.sources.r2.batchSize = 500",
                "a1.sources.r2.channels = c3",
                // 6. listed component with no type
                "a1.sources.r3.channels = c3",
                // 7. sink with no channel
                "a1.sinks.k1.type = null",
                // 8. sink in two groups
                "a1.sinks.k2.type = null",
                "a1.sinks.k2.channel = c3",
                "a1.sinks.k3.type = null",
                "a1.sinks.k3.channel = c3",
                "a1.sinkgroups.g1.sinks = k2 k3",
                "a1.sinkgroups.g1.processor.type = failover",
                "a1.sinkgroups.g2.sinks = k3",
                // 9. out-of-range value
                "a1.sinkgroups.g1.processor.maxpenalty = -1");
        assertThat(r.ok()).isFalse();
        assertThat(problemAt(r, "a1.channels.c1.type").rule()).contains("unknown channel type 'memroy'")
                .contains("did you mean 'memory'?");
        assertThat(problemAt(r, "a1.channels.c1.type").fix()).contains("memory");
        ConfigProblem tx = problemAt(r, "a1.channels.c2.transactionCapacity");
        assertThat(tx.value()).isEqualTo("50");
        assertThat(tx.rule()).contains("must not be larger than capacity (10)");
        ConfigProblem nan = problemAt(r, "a1.channels.c3.capacity");
        assertThat(nan.value()).isEqualTo("lots");
        assertThat(nan.rule()).isEqualTo("must be an integer");
        assertThat(nan.fix()).contains("default 100");
        ConfigProblem ref = problemAt(r, "a1.sources.r1.channels");
        assertThat(ref.value()).isEqualTo("c9");
        assertThat(ref.rule()).contains("refers to channel 'c9', which does not exist");
        assertThat(ref.fix()).contains("c1 c2 c3");
        ConfigProblem batch = problemAt(r, "a1.sources.r2.batchSize");
        assertThat(batch.value()).isEqualTo("500");
        assertThat(batch.rule()).contains("larger than the transactionCapacity (100) of channel 'c3'");
        assertThat(batch.fix()).contains("a1.channels.c3.transactionCapacity");
        assertThat(problemAt(r, "a1.sources.r3.type").rule()).contains("source 'r3' is listed in a1.sources but has no type");
        assertThat(problemAt(r, "a1.sinks.k1.channel").rule()).contains("sink 'k1' has no channel");
        assertThat(problemAt(r, "a1.sinkgroups.g2.sinks").rule())
                .contains("sink 'k3' is already in sink group 'g1'");
        ConfigProblem penalty = problemAt(r, "a1.sinkgroups.g1.processor.maxpenalty");
        assertThat(penalty.rule()).isEqualTo("must be at least 0");
        assertThat(r.problems()).hasSize(9);
        String text = r.render();
        assertThat(text).startsWith("9 problems in embedded properties for agent 'a1':\n1. ");
        assertThat(text).contains("\n9. ");
    }

    @Test
    void createRefusesABadConfigurationAndCarriesTheReport() {
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(
                "a1.sources = r1\na1.channels = c1\na1.sources.r1.type = nope\na1.sources.r1.channels = c1\n"
                        + "a1.channels.c1.type = memory"), dir);
        assertThatThrownBy(() -> Agent.create(spec))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("a1.sources.r1.type = nope: unknown source type 'nope'")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).report().problems()).hasSize(1));
    }

    @Test
    void goodFileRendersOkWithTheGraph() {
        ValidationReport r = validate(
                "a1.sources = r1",
                "a1.channels = c1 c2",
                "a1.sinks = k1 k2",
                "a1.sinkgroups = g1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1 c2",
                "a1.sources.r1.selector.type = multiplexing",
                "a1.sources.r1.selector.header = state",
                "a1.sources.r1.selector.mapping.CA = c1",
                "a1.sources.r1.selector.default = c2",
                "a1.channels.c1.type = memory",
                "a1.channels.c2.type = memory",
                "a1.sinks.k1.type = logger",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k2.type = null",
                "a1.sinks.k2.channel = c1",
                "a1.sinkgroups.g1.sinks = k1 k2",
                "a1.sinkgroups.g1.processor.type = failover",
                "a1.sinkgroups.g1.processor.priority.k1 = 10",
                "a1.sinkgroups.g1.processor.priority.k2 = 5");
        assertThat(r.ok()).as(r.render()).isTrue();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.render()).startsWith("Configuration OK\n");
        assertThat(r.componentGraph()).contains("r1 (seq) -> c1, c2  [selector: multiplexing]")
                .contains("c1 (memory)").contains("c1 -> k1 (logger)").contains("g1 (failover): k1, k2");
    }

    @Test
    void unknownKeysWarnWithTheNearestKnownKey() {
        ValidationReport r = validate(
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.batchsize = 10",
                "a1.sources.r1.selector.optinal = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacty = 1000",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k9.type = logger",
                "a1.sinks.k9.channel = c1");
        assertThat(r.ok()).as(r.render()).isTrue();
        assertThat(r.warnings()).contains(
                "a1.sources.r1.batchsize: unknown key, ignored (did you mean 'batchSize'?)",
                "a1.sources.r1.selector.optinal: unknown key, ignored (did you mean 'optional'?)",
                "a1.channels.c1.capacty: unknown key, ignored (did you mean 'capacity'?)");
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("a1.sinks.k9: 'k9' is defined but not listed in a1.sinks"));
    }

    @Test
    void selectorAndGroupReferencesAreChecked() {
        ValidationReport r = validate(
                "a1.sources = r1",
                "a1.channels = c1 c2",
                "a1.sinks = k1 k2",
                "a1.sinkgroups = g1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.selector.type = multiplexing",
                "a1.sources.r1.selector.mapping.CA = c2",
                "a1.sources.r1.selector.default = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c2.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k2.type = null",
                "a1.sinks.k2.channel = c2",
                "a1.sinkgroups.g1.sinks = k1 k2",
                "a1.sinkgroups.g1.processor.type = failover",
                "a1.sinkgroups.g1.processor.priority.k3 = 5",
                "a1.sinkgroups.g1.processor.priority.k1 = high");
        assertThat(problemAt(r, "a1.sources.r1.selector.mapping.CA").rule())
                .contains("names channel 'c2', which is not one of source 'r1''s channels [c1]");
        assertThat(problemAt(r, "a1.sinkgroups.g1.processor.priority.k3").rule())
                .contains("names sink 'k3', which is not in sink group 'g1'");
        assertThat(problemAt(r, "a1.sinkgroups.g1.processor.priority.k1").rule()).isEqualTo("must be an integer");
    }

    @Test
    void sinkGroupListedAsSinkSaysWhereItBelongs() {
        ValidationReport r = validate(
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1 k2 g1",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1",
                "a1.sinks.k2.type = null", "a1.sinks.k2.channel = c1",
                "a1.sinkgroups.g1.sinks = k1 k2",
                "a1.sinkgroups.g1.processor.type = failover");
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("a1.sinks");
            assertThat(p.rule()).contains("'g1' is a sink group");
            assertThat(p.fix()).contains("remove g1 from a1.sinks").contains("add g1 to a1.sinkgroups");
        });
    }

    @Test
    void missingFileIsOneProblem() {
        ValidationReport r = Agent.validate(new AgentSpec("a1", dir.resolve("missing.conf"), Map.of(), dir));
        assertThat(r.problems()).hasSize(1);
        assertThat(r.problems().get(0).rule()).contains("does not exist");
    }

    @Test
    void unresolvedSubstitutionRefusesTheStart() {
        ValidationReport r = validate(
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.batchSize = ${env:SLUICE_SURELY_UNSET_VARIABLE}",
                "a1.channels.c1.type = memory");
        assertThat(r.problems()).extracting(ConfigProblem::key).contains("a1.sources.r1.batchSize");
    }

    @Test
    void configurableClassNamedAsTypeIsConfiguredThroughTheContext() {
        ValidationReport r = validate(
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1 k2",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = io.sluice.core.registry.ConfigurableSink",
                "a1.sinks.k1.greeting = hello",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k2.type = com.example.NotOnTheClassPath",
                "a1.sinks.k2.channel = c1");
        assertThat(problemAt(r, "a1.sinks.k1.greeting").rule()).isEqualTo("must be an integer");
        assertThat(problemAt(r, "a1.sinks.k2.type").rule()).contains("unknown sink type 'com.example.NotOnTheClassPath'");
        assertThat(r.problems()).hasSize(2);
    }
}
