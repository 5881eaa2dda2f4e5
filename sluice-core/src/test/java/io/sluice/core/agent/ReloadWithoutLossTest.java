package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.runner.Backoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Numbered events from two sources of 50 k events/s each (100 k/s) through a memory channel into
 * counting sinks of 50 k events/s each, so that with one sink the channel holds a backlog of up to
 * its capacity (the sources wait for space) and with two it empties, while the configuration changes
 * ten times: a sink is added and removed, an interceptor changes and changes back, a source is
 * removed and added back, the channel grows and shrinks in place, and is rebuilt (keep-alive) and
 * back. The agent does not drain anything on reload. Every event a source committed must reach a
 * sink exactly once.
 */
class ReloadWithoutLossTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadWithoutLossTest.class);

    private static final Function<AgentSupervisor, Integer> CHANNEL_SIZE = sup ->
            ((MemoryChannel) sup.current().channels().get("c1")).size();

    @TempDir
    Path dir;

    /** One configuration of the sequence. */
    private static final class Conf {
        boolean r1 = true;
        boolean r2 = true;
        boolean k2;
        String header = "v1";
        int capacity = 20000;
        int keepAlive = 3;

        Conf copy() {
            Conf c = new Conf();
            c.r1 = r1;
            c.r2 = r2;
            c.k2 = k2;
            c.header = header;
            c.capacity = capacity;
            c.keepAlive = keepAlive;
            return c;
        }

        String render() {
            List<String> l = new ArrayList<>();
            l.add("a1.sources =" + (r1 ? " r1" : "") + (r2 ? " r2" : ""));
            l.add("a1.allowNoSources = true");
            l.add("a1.channels = c1");
            l.add("a1.sinks = k1" + (k2 ? " k2" : ""));
            if (r1) {
                l.add("a1.sources.r1.type = numbered");
                l.add("a1.sources.r1.rate = 50000");
                l.add("a1.sources.r1.batchSize = 100");
                l.add("a1.sources.r1.channels = c1");
                l.add("a1.sources.r1.interceptors = i1");
                l.add("a1.sources.r1.interceptors.i1.type = static");
                l.add("a1.sources.r1.interceptors.i1.key = conf");
                l.add("a1.sources.r1.interceptors.i1.value = " + header);
            }
            if (r2) {
                l.add("a1.sources.r2.type = numbered");
                l.add("a1.sources.r2.rate = 50000");
                l.add("a1.sources.r2.batchSize = 100");
                l.add("a1.sources.r2.channels = c1");
            }
            l.add("a1.channels.c1.type = memory");
            l.add("a1.channels.c1.capacity = " + capacity);
            l.add("a1.channels.c1.transactionCapacity = 1000");
            l.add("a1.channels.c1.keep-alive = " + keepAlive);
            l.add("a1.sinks.k1.type = counting");
            l.add("a1.sinks.k1.batchSize = 500");
            l.add("a1.sinks.k1.rate = 50000");
            l.add("a1.sinks.k1.channel = c1");
            if (k2) {
                l.add("a1.sinks.k2.type = counting");
                l.add("a1.sinks.k2.batchSize = 500");
                l.add("a1.sinks.k2.rate = 50000");
                l.add("a1.sinks.k2.channel = c1");
            }
            return String.join("\n", l) + "\n";
        }
    }

    @Test
    void tenChangesUnderLoadLoseNothing() throws Exception {
        NumberLedger ledger = new NumberLedger();
        Path file = dir.resolve("flume.conf");
        Conf conf = new Conf();
        Files.writeString(file, conf.render());
        AgentSpec spec = new AgentSpec("a1", file, Map.of(), dir.resolve("data"))
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)))
                // No draining at all: a reload must not rely on sinks emptying a channel in time.
                .withDrainTimeout(Duration.ZERO);
        List<Conf> steps = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        Conf[] last = {conf};
        BiConsumer<Consumer<Conf>, String> step = (change, summary) -> {
            Conf next = last[0].copy();
            change.accept(next);
            steps.add(next);
            expected.add(summary);
            last[0] = next;
        };
        step.accept(x -> x.k2 = true, // 1: add a sink
                "kept: channels.c1, sinks.k1, sources.r1, sources.r2; added: sinks.k2");
        step.accept(x -> x.header = "v2", // 2: change an interceptor
                "kept: channels.c1, sinks.k1, sinks.k2, sources.r2; restarted: sources.r1");
        step.accept(x -> x.r2 = false, // 3: remove a source
                "kept: channels.c1, sinks.k1, sinks.k2, sources.r1; removed: sources.r2");
        step.accept(x -> x.capacity = 40000, // 4: grow the channel
                "kept: sinks.k1, sinks.k2, sources.r1; resized: channels.c1");
        step.accept(x -> x.r2 = true, // 5: the source comes back
                "kept: channels.c1, sinks.k1, sinks.k2, sources.r1; added: sources.r2");
        step.accept(x -> x.capacity = 20000, // 6: shrink the channel back
                "kept: sinks.k1, sinks.k2, sources.r1, sources.r2; resized: channels.c1");
        step.accept(x -> x.k2 = false, // 7: remove the sink again
                "kept: channels.c1, sinks.k1, sources.r1, sources.r2; removed: sinks.k2");
        step.accept(x -> x.header = "v1", // 8: the interceptor back
                "kept: channels.c1, sinks.k1, sources.r2; restarted: sources.r1");
        step.accept(x -> x.keepAlive = 4, // 9: a key that needs a rebuild: the events move to the new channel
                "restarted: channels.c1, sinks.k1, sources.r1, sources.r2");
        step.accept(x -> x.keepAlive = 3, // 10: and back
                "restarted: channels.c1, sinks.k1, sources.r1, sources.r2");
        Conf c = last[0];

        List<Integer> backlog = new ArrayList<>();
        long started = System.nanoTime();
        try (AgentSupervisor sup = new AgentSupervisor(spec, false, Duration.ofHours(1), ledger.registry())) {
            sup.start();
            Agent agent = sup.current();
            Channel firstChannel = agent.channels().get("c1");
            for (int i = 0; i < steps.size(); i++) {
                long before = ledger.receivedCount();
                await().atMost(Duration.ofSeconds(60)).until(() -> ledger.receivedCount() >= before + 20_000);
                if (steps.get(i).capacity < ((MemoryChannel) agent.channels().get("c1")).capacity()) {
                    // A shrink applies in place only when the backlog fits; two sinks empty the channel.
                    int target = steps.get(i).capacity;
                    await().atMost(Duration.ofSeconds(60)).until(() ->
                            ((MemoryChannel) agent.channels().get("c1")).size() < target / 2);
                }
                backlog.add(((MemoryChannel) agent.channels().get("c1")).size());
                replace(file, steps.get(i).render());
                long reloads = sup.reloads();
                sup.checkForChange();
                assertThat(sup.reloads()).as("change %d applied", i + 1).isEqualTo(reloads + 1);
                assertThat(sup.lastSummary()).as("change %d", i + 1).isEqualTo(expected.get(i));
                assertThat(sup.current()).isSameAs(agent);
                if (i < 8) {
                    assertThat(agent.channels().get("c1")).as("the channel is kept through change %d", i + 1)
                            .isSameAs(firstChannel);
                }
            }
            assertThat(((MemoryChannel) agent.channels().get("c1")).capacity()).isEqualTo(20000);
            long before = ledger.receivedCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> ledger.receivedCount() >= before + 20_000);
            assertThat(agent.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS)).isPositive();
            Conf quiet = c.copy(); // the sources go, so the sink can catch up before the agent stops
            quiet.r1 = false;
            quiet.r2 = false;
            replace(file, quiet.render());
            sup.checkForChange();
            assertThat(sup.lastSummary()).isEqualTo("kept: channels.c1, sinks.k1; removed: sources.r1, sources.r2");
            // Empty, and what the sink took last is committed once the supervisor has stopped it.
            await().atMost(Duration.ofSeconds(60)).until(() -> CHANNEL_SIZE.apply(sup) == 0);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info("reload under load: {} events committed by sources, {} received, {} lost, {} duplicated, {}"
                        + " phantom, 10 changes in {} s ({} events/s); events in the channel at each change: {}",
                ledger.committedCount(),
                ledger.receivedCount(), ledger.lost(), ledger.duplicates(), ledger.phantoms(),
                String.format("%.1f", seconds), (long) (ledger.receivedCount() / seconds), backlog);
        assertThat(ledger.committedCount()).isGreaterThan(200_000);
        assertThat(ledger.lost()).as("committed by a source but never delivered").isZero();
        assertThat(ledger.duplicates()).as("delivered twice").isZero();
        assertThat(ledger.phantoms()).as("delivered but never committed").isZero();
    }

    private static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
