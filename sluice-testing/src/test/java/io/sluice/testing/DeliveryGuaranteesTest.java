package io.sluice.testing;

import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.agent.AgentSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** End-to-end behaviour of a running agent, through the shared fixtures. */
class DeliveryGuaranteesTest {

    private static List<String> numbers(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    @Test
    void failingSinkRollsBackAndDeliversEverythingAfterItRecovers() throws Exception {
        String props = String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = 500",
                "a1.sources.r1.batchSize = 50",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 1000",
                "a1.sinks.k1.type = collecting",
                "a1.sinks.k1.batchSize = 20",
                "a1.sinks.k1.failing = true",
                "a1.sinks.k1.channel = c1");
        try (EmbeddedAgent agent = EmbeddedAgent.start(EmbeddedAgent.spec("a1", EmbeddedAgent.properties(props)))) {
            CollectingSink sink = agent.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.failures() >= 3);
            agent.awaitCounter("SOURCE", "r1", "EventAcceptedCount", 500, Duration.ofSeconds(30));
            assertThat(sink.count()).isZero();
            assertThat(agent.counter("CHANNEL", "c1", ChannelCounter.SIZE)).isEqualTo(500);
            assertThat(sink.rolledBackEvents()).isPositive();

            sink.setFailing(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 500);
            assertThat(sink.bodies()).as("in order, none lost, none twice").containsExactlyElementsOf(numbers(500));
            assertThat(agent.counter("CHANNEL", "c1", ChannelCounter.SIZE)).isZero();
        }
    }

    @Test
    void failoverGroupMovesTrafficToTheBackupAndBackWhenThePrimaryRecovers() throws Exception {
        TestClock clock = new TestClock();
        String props = String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = primary backup",
                "a1.sinkgroups = g1",
                "a1.sources.r1.type = scripted",
                "a1.sources.r1.script = a,b",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.primary.type = collecting",
                "a1.sinks.primary.channel = c1",
                "a1.sinks.backup.type = collecting",
                "a1.sinks.backup.channel = c1",
                "a1.sinkgroups.g1.sinks = primary backup",
                "a1.sinkgroups.g1.processor.type = failover",
                "a1.sinkgroups.g1.processor.priority.primary = 10",
                "a1.sinkgroups.g1.processor.priority.backup = 1");
        AgentSpec spec = EmbeddedAgent.spec("a1", EmbeddedAgent.properties(props)).withClock(clock);
        try (EmbeddedAgent agent = EmbeddedAgent.start(spec)) {
            CollectingSink primary = agent.sink("primary", CollectingSink.class);
            CollectingSink backup = agent.sink("backup", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> primary.count() == 2);
            assertThat(backup.count()).isZero();

            primary.setFailing(true);
            ScriptedSource more = ScriptedSource.ofBodies("extra", List.of(List.of("c", "d")));
            more.setChannelProcessor(agent.source("r1", ScriptedSource.class).getChannelProcessor());
            more.process();
            await().atMost(Duration.ofSeconds(30)).until(() -> backup.count() == 2);
            assertThat(backup.bodies()).containsExactly("c", "d");

            primary.setFailing(false);
            long attemptsWhilePenalised = primary.attempts();
            clock.advance(Duration.ofSeconds(1));
            // The penalty has passed: the processor tries the primary again, and it takes the traffic back.
            await().atMost(Duration.ofSeconds(30)).until(() -> primary.attempts() > attemptsWhilePenalised);
            ScriptedSource again = ScriptedSource.ofBodies("extra2", List.of(List.of("e")));
            again.setChannelProcessor(more.getChannelProcessor());
            again.process();
            await().atMost(Duration.ofSeconds(30)).until(() -> primary.count() == 3);
            assertThat(primary.bodies()).containsExactly("a", "b", "e");
            assertThat(backup.count()).isEqualTo(2);
        }
    }

    @Test
    void fullChannelRefusesTheSourceWhichRetriesWithoutLosingEvents() throws Exception {
        String props = String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = scripted",
                "a1.sources.r1.script = 1,2,3;4,5,6;7,8,9",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 4",
                "a1.channels.c1.transactionCapacity = 4",
                "a1.channels.c1.keep-alive = 0",
                "a1.sinks.k1.type = collecting",
                "a1.sinks.k1.batchSize = 4",
                // failing from its first attempt: an idle sink takes a put at once, so turning it on
                // after the start would race the first batch's delivery
                "a1.sinks.k1.failing = true",
                "a1.sinks.k1.channel = c1");
        try (EmbeddedAgent agent = EmbeddedAgent.start("a1", props)) {
            CollectingSink sink = agent.sink("k1", CollectingSink.class);
            ScriptedSource source = agent.source("r1", ScriptedSource.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> source.refusals() >= 2);
            assertThat(source.lastRefusal()).hasMessageContaining("a1.channels.c1").hasMessageContaining("full");
            assertThat(source.batchesSent()).isEqualTo(1);
            sink.setFailing(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 9);
            assertThat(sink.bodies()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
        }
    }
}
