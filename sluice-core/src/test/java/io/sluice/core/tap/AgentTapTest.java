package io.sluice.core.tap;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.runner.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Taps on a running agent: what each kind of component publishes, and that a reader that never reads costs nothing. */
class AgentTapTest {
    private static final int TOTAL = 200_000;

    @TempDir
    Path dir;

    private AgentSpec spec(int total) {
        return AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1 c2",
                "a1.sinks = k1 k2",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.batchSize = 1000",
                "a1.sources.r1.totalEvents = " + total,
                "a1.sources.r1.channels = c1 c2",
                "a1.sources.r1.interceptors = i1",
                "a1.sources.r1.interceptors.i1.type = static",
                "a1.sources.r1.interceptors.i1.key = tapped",
                "a1.sources.r1.interceptors.i1.value = yes",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 10000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.channels.c2.type = memory",
                "a1.channels.c2.capacity = 10000",
                "a1.channels.c2.transactionCapacity = 1000",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 1000",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k2.type = null",
                "a1.sinks.k2.batchSize = 1000",
                "a1.sinks.k2.channel = c2")), dir)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @Test
    void tapsThatAreNeverReadDropAndCountWhileTheAgentRunsAtFullSpeed() throws Exception {
        AgentSpec spec = spec(TOTAL);
        Tap source = spec.taps().point(TapKind.SOURCE, "r1").open(10);
        Tap channel = spec.taps().point(TapKind.CHANNEL, "c1").open(10);
        Tap sink = spec.taps().point(TapKind.SINK, "k2").open(10);
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            // Had a full tap blocked its publisher, the agent would stall after 10 events.
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    agent.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS) == TOTAL
                            && agent.counters().find("SINK", "k2").get(SinkCounter.DRAIN_SUCCESS) == TOTAL);
        }
        for (Tap t : List.of(source, channel, sink)) {
            assertThat(t.queued()).as(t.point().toString()).isEqualTo(10);
            assertThat(t.dropped()).as(t.point().toString()).isEqualTo(TOTAL - 10);
            assertThat(t.offered()).as(t.point().toString()).isEqualTo(TOTAL);
        }
        List<Event> seen = new ArrayList<>();
        source.drainTo(seen, 10);
        assertThat(seen).allSatisfy(e -> assertThat(e.header("tapped")).as("after the interceptors").isEqualTo("yes"));
        assertThat(new String(seen.get(0).body())).isEqualTo("0");
        seen.clear();
        sink.drainTo(seen, 10);
        assertThat(seen).extracting(e -> new String(e.body())).containsExactly("0", "1", "2", "3", "4", "5", "6", "7",
                "8", "9");
    }

    @Test
    void aTapStaysOpenForTheNextAgentBuiltFromTheSameSpec() throws Exception {
        AgentSpec spec = spec(100);
        Tap tap = spec.taps().point(TapKind.SINK, "k1").open(1000);
        try (Agent first = Agent.create(spec)) {
            first.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> tap.offered() == 100);
        }
        try (Agent second = Agent.create(spec)) {
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> tap.offered() == 200);
        }
        assertThat(tap.dropped()).isZero();
        assertThat(tap.queued()).isEqualTo(200);
    }
}
