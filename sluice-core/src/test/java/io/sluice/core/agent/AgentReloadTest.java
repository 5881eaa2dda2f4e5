package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.Lifecycle;
import io.sluice.api.Source;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.registry.ComponentRegistry;
import io.sluice.core.runner.Backoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link Agent#reload}: what is kept, resized, rebuilt, added, removed, and rolled back. */
class AgentReloadTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.standard();

    @TempDir
    Path dir;

    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop();
        }
    }

    /** r1 (seq, 50 events) -> c1 (memory) with no sink, so c1 keeps the events; plus {@code extra}. */
    private AgentSpec spec(String channelKeys, String... extra) {
        String base = String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = 50",
                "a1.sources.r1.batchSize = 10",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.transactionCapacity = 10",
                channelKeys,
                String.join("\n", extra));
        return AgentSpec.fromProperties("a1", OrderedProperties.parse(base), dir)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
    }

    private Agent started(AgentSpec spec) throws Exception {
        agent = Agent.create(spec, REGISTRY);
        agent.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> size("c1") == 50);
        return agent;
    }

    private long size(String channel) {
        CounterGroup g = agent.counters().find("CHANNEL", channel);
        return g == null ? -1 : g.get(ChannelCounter.SIZE);
    }

    @Test
    void unchangedComponentsKeepTheirInstancesEventsAndCounters() throws Exception {
        AgentSpec before = spec("a1.channels.c1.capacity = 100");
        started(before);
        Channel c1 = agent.channels().get("c1");
        Source r1 = agent.sources().get("r1");
        CounterGroup c1Counters = agent.counters().find("CHANNEL", "c1");

        AgentSpec after = spec("a1.channels.c1.capacity = 100\na1.channels = c1 c2\na1.sinks = k2",
                "a1.channels.c2.type = memory",
                "a1.sinks.k2.type = null",
                "a1.sinks.k2.channel = c2");
        String summary = agent.reload(after, before, REGISTRY);

        assertThat(summary).isEqualTo("kept: channels.c1, sources.r1; added: channels.c2, sinks.k2");
        assertThat(agent.channels().get("c1")).isSameAs(c1);
        assertThat(agent.sources().get("r1")).isSameAs(r1);
        assertThat(r1.lifecycleState()).isEqualTo(Lifecycle.State.STARTED);
        assertThat(size("c1")).as("a kept memory channel keeps its events").isEqualTo(50);
        assertThat(agent.counters().find("CHANNEL", "c1")).as("kept counters are not reset").isSameAs(c1Counters);
        assertThat(c1Counters.get(ChannelCounter.PUT_SUCCESS)).isEqualTo(50);
        assertThat(agent.counters().find("SINK", "k2")).isNotNull();

        String back = agent.reload(before, after, REGISTRY);
        assertThat(back).isEqualTo("kept: channels.c1, sources.r1; removed: channels.c2, sinks.k2");
        assertThat(agent.counters().find("SINK", "k2")).as("a removed sink's counters go").isNull();
        assertThat(agent.sinks()).isEmpty();
        assertThat(size("c1")).isEqualTo(50);
    }

    @Test
    void aGrownMemoryChannelIsResizedInPlaceAndAShrinkThatDoesNotFitWaits() throws Exception {
        AgentSpec small = spec("a1.channels.c1.capacity = 100");
        started(small);
        MemoryChannel c1 = (MemoryChannel) agent.channels().get("c1");

        AgentSpec big = spec("a1.channels.c1.capacity = 200");
        assertThat(agent.reload(big, small, REGISTRY)).isEqualTo("kept: sources.r1; resized: channels.c1");
        assertThat(agent.channels().get("c1")).isSameAs(c1);
        assertThat(c1.capacity()).isEqualTo(200);
        assertThat(agent.counters().find("CHANNEL", "c1").get(ChannelCounter.CAPACITY)).isEqualTo(200);
        assertThat(size("c1")).isEqualTo(50);

        AgentSpec tiny = spec("a1.channels.c1.capacity = 20");
        String summary = agent.reload(tiny, big, REGISTRY);
        assertThat(summary).contains("resized: channels.c1").contains("not resized yet").contains("channels.c1");
        assertThat(c1.capacity()).as("50 events do not fit in 20: the old size stays").isEqualTo(200);
        assertThat(size("c1")).isEqualTo(50);
        assertThat(agent.hasPendingChanges()).isTrue();
    }

    @Test
    void aShrinkThatDidNotFitIsAppliedByALaterCheckOnceTheSinksDrainedTheChannel() throws Exception {
        Path file = dir.resolve("flume.conf");
        String base = String.join("\n", "a1.sources = r1", "a1.channels = c1",
                "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = 50", "a1.sources.r1.batchSize = 10",
                "a1.sources.r1.channels = c1", "a1.channels.c1.type = memory",
                "a1.channels.c1.transactionCapacity = 10", "");
        Files.writeString(file, base + "a1.channels.c1.capacity = 100\n");
        AgentSpec spec = new AgentSpec("a1", file, Map.of(), dir.resolve("data"))
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        try (AgentSupervisor sup = new AgentSupervisor(spec, false, Duration.ofHours(1), REGISTRY)) {
            sup.start();
            agent = sup.current();
            await().atMost(Duration.ofSeconds(30)).until(() -> size("c1") == 50);
            MemoryChannel c1 = (MemoryChannel) agent.channels().get("c1");
            replace(file, base + "a1.channels.c1.capacity = 20\n"
                    + "a1.sinks = k1\na1.sinks.k1.type = null\na1.sinks.k1.batchSize = 10\na1.sinks.k1.channel = c1\n");
            sup.checkForChange();
            assertThat(sup.lastSummary()).startsWith("kept: sources.r1; resized: channels.c1; added: sinks.k1")
                    .contains("not resized yet");
            assertThat(c1.capacity()).isEqualTo(100);
            await().atMost(Duration.ofSeconds(30)).until(() -> size("c1") == 0);
            sup.checkForChange(); // the file is unchanged, but the channel still waits for its size
            assertThat(c1.capacity()).isEqualTo(20);
            assertThat(agent.channels().get("c1")).isSameAs(c1);
            assertThat(agent.hasPendingChanges()).isFalse();
            assertThat(sup.lastSummary()).isEqualTo("kept: sinks.k1, sources.r1; resized: channels.c1");
            agent = null;
        }
    }

    @Test
    void aRebuiltMemoryChannelTakesTheEventsOfTheOldOne() throws Exception {
        AgentSpec before = spec("a1.channels.c1.keep-alive = 3");
        started(before);
        Channel old = agent.channels().get("c1");

        AgentSpec after = spec("a1.channels.c1.keep-alive = 1");
        assertThat(agent.reload(after, before, REGISTRY)).isEqualTo("restarted: channels.c1, sources.r1");
        Channel rebuilt = agent.channels().get("c1");
        assertThat(rebuilt).isNotSameAs(old);
        assertThat(old.lifecycleState()).isEqualTo(Lifecycle.State.STOPPED);
        assertThat(((MemoryChannel) old).size()).isZero();
        // The restarted seq source counts from 0 again and adds its 50 events (when is a race with the
        // reload's return), so the rebuilt channel ends with the 50 moved ones plus those 50; without
        // the move it would end with 50.
        await().atMost(Duration.ofSeconds(30)).until(() -> ((MemoryChannel) rebuilt).size() == 100);
        assertThat(size("c1")).as("the events moved into the rebuilt channel, and the new ones").isEqualTo(100);
    }

    @Test
    void aNewComponentThatFailsToStartRollsBackAndLeavesKeptOnesAlone() throws Exception {
        AgentSpec before = spec("a1.channels.c1.capacity = 100", "a1.sinks = k1", "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 10", "a1.sinks.k1.channel = c2", "a1.channels = c1 c2", "a1.channels.c2.type = memory");
        started(before);
        Channel c1 = agent.channels().get("c1");
        Source r1 = agent.sources().get("r1");
        CounterGroup k1Counters = agent.counters().find("SINK", "k1");

        AgentSpec broken = spec("a1.channels.c1.capacity = 100", "a1.sinks = k1", "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 10", "a1.sinks.k1.channel = c2", "a1.channels = c1 c2", "a1.channels.c2.type = memory",
                "a1.channels.c2.keep-alive = 1", // c2 and k1 restart
                "a1.sources = r1 r2",
                "a1.sources.r2.type = io.sluice.core.registry.ExplodingSource",
                "a1.sources.r2.channels = c2");
        assertThatThrownBy(() -> agent.reload(broken, before, REGISTRY))
                .isInstanceOf(ReloadFailedException.class)
                .hasMessageContaining("a1.sources.r2")
                .hasMessageContaining("address already in use")
                .hasMessageContaining("the previous configuration runs again");

        assertThat(agent.isRunning()).isTrue();
        assertThat(agent.sources()).containsOnlyKeys("r1");
        assertThat(agent.sources().get("r1")).as("kept through the failed reload").isSameAs(r1);
        assertThat(agent.channels().get("c1")).isSameAs(c1);
        assertThat(size("c1")).isEqualTo(50);
        assertThat(agent.sinks()).containsOnlyKeys("k1");
        assertThat(agent.sinks().get("k1").lifecycleState()).isEqualTo(Lifecycle.State.STARTED);
        assertThat(agent.counters().find("SINK", "k1")).as("k1 was restarted").isNotSameAs(k1Counters);
        assertThat(agent.counters().find("SOURCE", "r2")).isNull();
        assertThat(agent.report().componentGraph()).doesNotContain("r2");
    }

    @Test
    void anInvalidConfigurationChangesNothing() throws Exception {
        AgentSpec before = spec("a1.channels.c1.capacity = 100");
        started(before);
        Channel c1 = agent.channels().get("c1");
        AgentSpec invalid = spec("a1.channels.c1.capacity = -5");
        assertThatThrownBy(() -> agent.reload(invalid, before, REGISTRY))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("a1.channels.c1.capacity");
        assertThat(agent.channels().get("c1")).isSameAs(c1);
        assertThat(((MemoryChannel) c1).capacity()).isEqualTo(100);
        assertThat(size("c1")).isEqualTo(50);
    }

    @Test
    void aChangedSinkGroupRestartsItsSinksAndNothingElse() throws Exception {
        String group = String.join("\n", "a1.sinks = k1 k2", "a1.sinkgroups = g1",
                "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1", "a1.sinks.k1.batchSize = 10",
                "a1.sinks.k2.type = null", "a1.sinks.k2.channel = c1", "a1.sinks.k2.batchSize = 10",
                "a1.sinkgroups.g1.sinks = k1 k2", "a1.sinkgroups.g1.processor.type = failover");
        AgentSpec before = spec("a1.channels.c1.capacity = 100", group, "a1.sinkgroups.g1.processor.priority.k1 = 10");
        agent = Agent.create(before, REGISTRY);
        agent.start();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                agent.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS) == 50);
        AgentSpec after = spec("a1.channels.c1.capacity = 100", group, "a1.sinkgroups.g1.processor.priority.k2 = 10");
        assertThat(agent.reload(after, before, REGISTRY))
                .isEqualTo("kept: channels.c1, sources.r1; restarted: sinkgroups.g1");
    }

    private static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
