package io.sluice.e2e.avro;

import io.sluice.api.Event;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agent A sends through a sink group over two avro sinks to agents B1 and B2 (each tags what it
 * relays with {@code via}); with {@code failover} and then {@code load_balance}, killing one
 * member moves all traffic to the other without loss, and bringing it back brings traffic back.
 */
class SinkGroupIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final int aPort = Ports.free();
    private final int b1Port = Ports.free();
    private final int b2Port = Ports.free();

    private ChildProcess startB(String name, int port, int collectorPort) throws Exception {
        AgentConfig c = Agents.relay(name, port, collectorPort, 100_000,
                "sources.r1.interceptors", "i1", "sources.r1.interceptors.i1.type", "static",
                "sources.r1.interceptors.i1.key", "via", "sources.r1.interceptors.i1.value", name);
        return Agents.startSluice("group-" + name, dir.resolve(name), c, port);
    }

    private ChildProcess startA(String processor) throws Exception {
        AgentConfig c = Agents.relay("a", aPort, b1Port, 100_000,
                "sinks", "k1 k2",
                "sinks.k2.type", "avro", "sinks.k2.channel", "c1", "sinks.k2.hostname", "127.0.0.1",
                "sinks.k2.port", String.valueOf(b2Port), "sinks.k2.batch-size", "100",
                "sinks.k2.connect-timeout", "3000", "sinks.k2.request-timeout", "5000",
                "sinks.k1.connect-timeout", "3000", "sinks.k1.request-timeout", "5000",
                "sinkgroups", "g1", "sinkgroups.g1.sinks", "k1 k2");
        if (processor.equals("failover")) {
            c.set("sinkgroups.g1.processor.type", "failover").set("sinkgroups.g1.processor.priority.k1", 10)
                    .set("sinkgroups.g1.processor.priority.k2", 5)
                    .set("sinkgroups.g1.processor.maxpenalty", 2000);
        } else {
            c.set("sinkgroups.g1.processor.type", "load_balance").set("sinkgroups.g1.processor.selector", "round_robin")
                    .set("sinkgroups.g1.processor.backoff", "true")
                    .set("sinkgroups.g1.processor.selector.maxTimeOut", 2000);
        }
        return Agents.startSluice("group-a-" + processor, dir.resolve("a-" + processor), c, aPort);
    }

    private static long via(Collector collector, String b, String prefix) {
        return collector.events().stream()
                .filter(e -> b.equals(e.header("via")) && e.bodyAsString().startsWith(prefix + "-")).count();
    }

    /**
     * Sends waves of 100 events until {@code done}; each wave goes once the one before it reached the
     * collector (every acknowledged event so far is there), so the pace follows the chain.
     */
    private static void sendUntil(Sender sender, Collector collector, String prefix, BooleanSupplier done)
            throws InterruptedException {
        int i = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("traffic did not move in time").isLessThan(deadline);
            sender.send(prefix, i, i + 100, Duration.ofSeconds(30));
            i += 100;
            int acked = sender.acked();
            await(prefix + " wave delivered").atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> done.getAsBoolean() || collector.distinctBodies().size() >= acked);
        }
    }

    @Test
    void failoverMovesTrafficToTheStandbyAndBackToThePrimary() throws Exception {
        try (Collector collector = Collector.plain();
                ChildProcess b2 = startB("b2", b2Port, collector.port());
                ChildProcess b1 = startB("b1", b1Port, collector.port());
                ChildProcess a = startA("failover");
                Sender sender = new Sender(aPort)) {
            sender.send("first", 0, 1000, WAIT);
            collector.awaitCount(1000, WAIT);
            assertThat(via(collector, "b1", "first")).isEqualTo(1000);
            assertThat(collector.distinctBodies()).hasSize(1000); // b1 holds nothing when it is killed
            b1.kill();
            sender.send("second", 0, 1000, WAIT);
            await("second wave delivered").atMost(WAIT).until(() -> collector.distinctBodies().size() >= 2000);
            assertThat(via(collector, "b2", "second")).isGreaterThan(0);
            try (ChildProcess b1again = startB("b1", b1Port, collector.port())) {
                sendUntil(sender, collector, "third", () -> via(collector, "b1", "third") > 0);
                int sent = sender.acked();
                await("everything delivered").atMost(WAIT).until(() -> collector.distinctBodies().size() >= sent);
            }
            assertThat(collector.distinctBodies()).hasSize(sender.acked());
        }
    }

    @Test
    void loadBalanceSpreadsTrafficSkipsADeadMemberAndUsesItAgainWhenBack() throws Exception {
        try (Collector collector = Collector.plain();
                ChildProcess b1 = startB("b1", b1Port, collector.port());
                ChildProcess b2 = startB("b2", b2Port, collector.port());
                ChildProcess a = startA("load_balance");
                Sender sender = new Sender(aPort)) {
            sendUntil(sender, collector, "spread", () -> via(collector, "b1", "spread") > 0 && via(collector, "b2", "spread") > 0);
            int spread = sender.acked();
            // let b2 pass on what it holds: its memory channel dies with it, and this test is about routing
            await("spread delivered").atMost(WAIT).until(() -> collector.distinctBodies().size() >= spread);
            b2.kill();
            sender.send("alone", 0, 2000, WAIT);
            await("alone delivered").atMost(WAIT)
                    .until(() -> collector.events().stream().filter(e -> e.bodyAsString().startsWith("alone-"))
                            .map(Event::bodyAsString).distinct().count() == 2000);
            try (ChildProcess b2again = startB("b2", b2Port, collector.port())) {
                sendUntil(sender, collector, "back", () -> via(collector, "b2", "back") > 0);
                int sent = sender.acked();
                await("everything delivered").atMost(WAIT).until(() -> collector.distinctBodies().size() >= sent);
            }
            assertThat(collector.distinctBodies()).hasSize(sender.acked());
        }
    }
}
