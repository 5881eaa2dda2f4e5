package io.sluice.core.agent;

import io.sluice.api.Event;
import io.sluice.api.Lifecycle;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.runner.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EndToEndTest {
    @TempDir
    Path dir;

    @Test
    void seqThroughMemoryToNullDeliversEveryEvent() throws Exception {
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.batchSize = 1000",
                "a1.sources.r1.totalEvents = 200000",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 10000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 1000",
                "a1.sinks.k1.channel = c1")), dir)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    agent.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS) == 200000);
            assertThat(agent.counters().find("SOURCE", "r1").get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(200000);
            assertThat(agent.counters().find("CHANNEL", "c1").get(ChannelCounter.TAKE_SUCCESS)).isEqualTo(200000);
            assertThat(agent.counters().find("CHANNEL", "c1").get(ChannelCounter.SIZE)).isZero();
        }
    }

    @Test
    void anIdleSinkTakesAPutAtOnceInsteadOfSleepingThroughItsBackoff() throws Exception {
        // a back-off of ten minutes: only the wake-up on put commit can deliver within the wait below
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = 0",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1")), dir)
                .withBackoff(new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(10)));
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            CounterGroup sink = agent.counters().find("SINK", "k1");
            for (int round = 1; round <= 3; round++) {
                long empty = round;
                // the sink found the channel empty for the round-th time and went into its back-off wait
                // (or is about to): after each delivered batch it polls again at once and finds nothing
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.get(SinkCounter.BATCH_EMPTY) >= empty);
                try (Transaction tx = agent.channels().get("c1").getTransaction()) {
                    tx.begin();
                    tx.put(Event.ofString("e" + round));
                    tx.commit();
                }
                long expected = round;
                await("event " + round + " delivered long before the back-off ends").atMost(Duration.ofSeconds(30))
                        .until(() -> sink.get(SinkCounter.DRAIN_SUCCESS) == expected);
            }
        }
    }

    @Test
    void flumeClassNamesWorkAsTypes() throws Exception {
        AgentSpec spec = AgentSpec.fromProperties("agent", OrderedProperties.parse(String.join("\n",
                "agent.sources = seqGen",
                "agent.channels = memoryChannel",
                "agent.sinks = loggerSink",
                "agent.sources.seqGen.type = org.apache.flume.source.SequenceGeneratorSource",
                "agent.sources.seqGen.totalEvents = 5",
                "agent.sources.seqGen.channels = memoryChannel",
                "agent.channels.memoryChannel.type = org.apache.flume.channel.MemoryChannel",
                "agent.sinks.loggerSink.type = org.apache.flume.sink.LoggerSink",
                "agent.sinks.loggerSink.channel = memoryChannel")), dir)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
        ValidationReport report = Agent.validate(spec);
        assertThat(report.ok()).as(report.render()).isTrue();
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    agent.counters().find("SINK", "loggerSink").get(SinkCounter.DRAIN_SUCCESS) == 5);
        }
    }

    @Test
    void stopDrainsTheChannelBeforeStoppingSinks() throws Exception {
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.batchSize = 100",
                "a1.sources.r1.totalEvents = 5000",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 10000",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 1",
                "a1.sinks.k1.channel = c1")), dir)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)))
                .withDrainTimeout(Duration.ofSeconds(30));
        Agent agent = Agent.create(spec);
        agent.start();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                agent.counters().find("SOURCE", "r1").get(SourceCounter.EVENT_ACCEPTED) == 5000);
        agent.stop();
        assertThat(agent.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(5000);
        assertThat(agent.counters().find("CHANNEL", "c1").get(ChannelCounter.SIZE)).isZero();
        assertThat(agent.counters().find("CHANNEL", "c1").stopTime()).isPositive();
    }

    @Test
    void aComponentThatFailsToStartStopsEverythingThatStarted() throws Exception {
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = io.sluice.core.registry.ExplodingSource",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1")), dir);
        Agent agent = Agent.create(spec);
        Assertions.assertThatThrownBy(agent::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a1.sources.r1")
                .hasMessageContaining("address already in use");
        assertThat(agent.isRunning()).isFalse();
        assertThat(agent.channels().get("c1").lifecycleState()).isEqualTo(Lifecycle.State.STOPPED);
        assertThat(agent.sinks().get("k1").lifecycleState()).isEqualTo(Lifecycle.State.STOPPED);
    }
}
