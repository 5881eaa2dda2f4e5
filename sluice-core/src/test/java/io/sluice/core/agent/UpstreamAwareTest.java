package io.sluice.core.agent;

import io.sluice.api.UpstreamAware;
import io.sluice.core.config.OrderedProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent hands an UpstreamAware sink the wiring around its channel and reports what it refuses. */
class UpstreamAwareTest {
    @TempDir
    Path dir;

    @BeforeEach
    void clear() {
        UpstreamSink.SEEN.clear();
    }

    private ValidationReport validate(String... lines) {
        return Agent.validate(AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n", lines)), dir));
    }

    @Test
    void theSinkSeesEverySourceThatMayPutIntoItsChannelAndEverySinkReadingIt() {
        ValidationReport r = validate(
                "a1.sources = r1 r2 r3",
                "a1.channels = c1 c2",
                "a1.sinks = k1 k2",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1",
                "a1.sources.r2.type = seq", "a1.sources.r2.channels = c1 c2",
                "a1.sources.r2.interceptors = i1", "a1.sources.r2.interceptors.i1.type = timestamp",
                "a1.sources.r3.type = seq", "a1.sources.r3.channels = c2",
                "a1.channels.c1.type = memory", "a1.channels.c2.type = memory",
                "a1.sinks.k1.type = io.sluice.core.agent.UpstreamSink", "a1.sinks.k1.channel = c1",
                "a1.sinks.k2.type = null", "a1.sinks.k2.channel = c1");

        assertThat(UpstreamSink.SEEN).singleElement().satisfies(u -> {
            assertThat(u.channelName()).isEqualTo("c1");
            assertThat(u.sinkKeyPrefix()).isEqualTo("a1.sinks.k1.");
            assertThat(u.feeders()).extracting(UpstreamAware.Feeder::name).containsExactly("r1", "r2");
            assertThat(u.feeders().get(1).channels()).containsExactly("c1", "c2");
            assertThat(u.feeders().get(1).interceptors()).containsExactly("i1");
            assertThat(u.readers()).containsExactly("k1", "k2");
        });
        assertThat(r.problems()).singleElement().asString()
                .isEqualTo("a1.sinks.k1.type = fan-in: fed by 2 sources (fix: feed it from one)");
    }
}
