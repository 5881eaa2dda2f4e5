package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.registry.ComponentRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A reload keeps an unchanged file channel running, and reopens a changed one with its events. */
class FileChannelReloadTest {
    @TempDir
    Path dir;

    private AgentSpec spec(int capacity, String... extra) {
        List<String> lines = new ArrayList<>(List.of(
                "a1.channels = c1 c9",
                "a1.sinks = k9",
                "a1.allowNoSources = true",
                "a1.channels.c1.type = file",
                "a1.channels.c1.checkpointDir = " + dir.resolve("checkpoint"),
                "a1.channels.c1.dataDirs = " + dir.resolve("data"),
                "a1.channels.c1.capacity = " + capacity,
                "a1.channels.c1.transactionCapacity = 100",
                "a1.channels.c9.type = memory",
                "a1.sinks.k9.type = null",
                "a1.sinks.k9.channel = c9"));
        lines.addAll(List.of(extra));
        return AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n", lines)), dir.resolve("agent"));
    }

    @Test
    void anUnchangedFileChannelIsKeptAndAChangedOneIsReopenedWithItsEvents() throws Exception {
        ComponentRegistry registry = ComponentRegistry.standard();
        AgentSpec first = spec(1000);
        try (Agent agent = Agent.create(first, registry)) {
            agent.start();
            Channel c1 = agent.channels().get("c1");
            for (int batch = 0; batch < 3; batch++) {
                try (Transaction tx = c1.getTransaction()) {
                    tx.begin();
                    for (int i = 0; i < 100; i++) {
                        tx.put(Event.builder().body("e" + (batch * 100 + i)).build());
                    }
                    tx.commit();
                }
            }

            AgentSpec second = spec(1000, "a1.channels = c1 c9 c2", "a1.channels.c2.type = memory");
            assertThat(agent.reload(second, first, registry))
                    .isEqualTo("kept: channels.c1, channels.c9, sinks.k9; added: channels.c2");
            assertThat(agent.channels().get("c1")).as("not reopened").isSameAs(c1);

            AgentSpec third = spec(2000, "a1.channels = c1 c9 c2", "a1.channels.c2.type = memory");
            assertThat(agent.reload(third, second, registry))
                    .isEqualTo("kept: channels.c2, channels.c9, sinks.k9; restarted: channels.c1");
            Channel reopened = agent.channels().get("c1");
            assertThat(reopened).isNotSameAs(c1).isInstanceOf(FileChannel.class);
            assertThat(((FileChannel) reopened).config().capacity()).isEqualTo(2000);
            assertThat(agent.counters().find("CHANNEL", "c1").get(ChannelCounter.SIZE)).isEqualTo(300);
            List<Event> events = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int batch = 0; batch < 3; batch++) {
                try (Transaction tx = reopened.getTransaction()) {
                    tx.begin();
                    tx.takeBatch(100, events);
                    tx.commit();
                }
            }
            events.forEach(e -> bodies.add(new String(e.body(), StandardCharsets.UTF_8)));
            assertThat(bodies).hasSize(300).startsWith("e0", "e1").endsWith("e299");
        }
    }
}
