package io.sluice.testing;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.InvalidConfigurationException;
import io.sluice.core.channel.memory.MemoryChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixturesTest {

    @Test
    void embeddedAgentRefusesBadConfigurationAndDeletesItsDirectory() throws Exception {
        AgentSpec bad = EmbeddedAgent.spec("a1", EmbeddedAgent.properties(
                "a1.sources = r1\na1.sources.r1.type = scripted"));
        assertThat(bad.dataDirectory()).isDirectory();
        assertThatThrownBy(() -> EmbeddedAgent.start(bad))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("a1.sources.r1.channels");
        assertThat(bad.dataDirectory()).as("data directory of the refused agent").doesNotExist();
    }

    @Test
    void embeddedAgentDeletesItsDirectoryOnClose() throws Exception {
        EmbeddedAgent agent = EmbeddedAgent.start("a1", String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = scripted", "a1.sources.r1.script = x", "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory", "a1.sinks.k1.type = collecting", "a1.sinks.k1.channel = c1"));
        Path dir = agent.dataDirectory();
        agent.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 1, Duration.ofSeconds(30));
        assertThat(agent.sink("k1", CollectingSink.class).bodies()).containsExactly("x");
        agent.close();
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void aDurabilityTestThatCannotRunIsSkippedLocallyAndFailsOnCi() {
        assertThatThrownBy(() -> SmallDisk.cannotRun("no tmpfs", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no tmpfs");
        assertThatThrownBy(() -> SmallDisk.cannotRun("no tmpfs", true))
                .isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no tmpfs").hasMessageContaining("CI=true");
    }

    @Test
    void collectingSinkFailsExactlyNTimesAndKeepsWhatItRolledBack() throws Exception {
        MemoryChannel channel = new MemoryChannel("c1", "a1.channels.c1", 10, 10, 0, 0, new ChannelCounter("c1"));
        channel.start();
        try (Transaction tx = channel.getTransaction()) {
            tx.begin();
            tx.putAll(List.of(Event.ofString("a"), Event.ofString("b"), Event.ofString("c")));
            tx.commit();
        }
        SinkCounter counter = new SinkCounter("k9");
        CollectingSink sink = new CollectingSink("k9", 10, counter);
        sink.setChannel(channel);
        sink.failNext(2);
        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class);
        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class);
        assertThat(channel.size()).as("rolled back, still in the channel").isEqualTo(3);
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(sink.bodies()).containsExactly("a", "b", "c");
        assertThat(sink.process()).isEqualTo(Status.BACKOFF);
        assertThat(sink.failures()).isEqualTo(2);
        assertThat(sink.rolledBackEvents()).isEqualTo(6);
        assertThat(sink.attempts()).isEqualTo(4);
        assertThat(counter.get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(2);
        assertThat(counter.get(SinkCounter.DRAIN_ATTEMPT)).isEqualTo(9);
        assertThat(counter.get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(3);
        assertThat(counter.get(SinkCounter.BATCH_EMPTY)).isEqualTo(1);
    }
}
