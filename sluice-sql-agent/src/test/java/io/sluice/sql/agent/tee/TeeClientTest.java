package io.sluice.sql.agent.tee;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.runner.Backoff;
import io.sluice.core.tap.TapKind;
import io.sluice.core.tap.TapPoint;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import io.sluice.sql.agent.http.ServerAddress;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's tee against a server speaking the node protocol over real sockets, with a real agent
 * (seq source, interceptor, memory channels, null sinks) publishing to its taps.
 */
class TeeClientTest {
    private static final String TOKEN = "s3cret-token";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TeeClient.Options FAST = new TeeClient.Options(Duration.ofMillis(100), Duration.ofMillis(400),
            Duration.ofSeconds(5), 10_000, TeeClient.Options.DEFAULT_TEE_CPU_SHARE);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private AgentSpec spec(long total) {
        return AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.batchSize = 500",
                "a1.sources.r1.totalEvents = " + total,
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.interceptors = i1",
                "a1.sources.r1.interceptors.i1.type = static",
                "a1.sources.r1.interceptors.i1.key = dc",
                "a1.sources.r1.interceptors.i1.value = \"eu\" west ü",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 10000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 1000",
                "a1.sinks.k1.channel = c1")), dir)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    private static Map<String, TapKind> components() {
        return Map.of("r1", TapKind.SOURCE, "c1", TapKind.CHANNEL, "k1", TapKind.SINK);
    }

    private TeeClient client(ProtocolServer server, AgentSpec spec, String token, TeeClient.Options options) {
        ServerAddress address = ServerAddress.of("127.0.0.1:" + server.port(), token, false, null);
        return closing(TeeClient.start(address, "a1", spec.taps(), TeeClientTest::components, options));
    }

    private static long drained(Agent agent) {
        return agent.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS);
    }

    /** A server that wants {@code tee} teed and answers its posts with 410 Gone. */
    private ProtocolServer wantingThenGone(String tee) throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.want(tee);
        server.gone.add(tee);
        return server;
    }

    @Test
    void teesTheWantedSourceAfterItsInterceptorsAndClosesTheTapWhenNoLongerWanted() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.want("r1");
        AgentSpec spec = spec(5000);
        TeeClient client = client(server, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().equals(Set.of("r1")));
        assertThat(server.registeredComponents.get(0)).startsWith("components=").contains("r1", "c1", "k1");
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            await().atMost(WAIT).until(() -> server.received("r1").size() == 5000);
            await().atMost(WAIT).until(() -> drained(agent) == 5000);
        }
        List<ProtocolServer.Received> got = server.received("r1");
        assertThat(got).extracting(r -> new String(r.body(), StandardCharsets.UTF_8)).startsWith("0", "1", "2")
                .endsWith("4999");
        assertThat(got.get(0).headers()).containsEntry("dc", "\"eu\" west ü");
        assertThat(server.malformed).isEmpty();
        assertThat(server.contentTypes).containsOnly(TeeFrames.CONTENT_TYPE);
        assertThat(server.binaryVersions).containsOnly(1); // a server that announced nothing reads version 1
        assertThat(server.droppedHeaders).containsOnly(0L);
        await().atMost(WAIT).until(() -> client.counters().teed() == 5000); // counted after the server's answer
        assertThat(client.counters().dropped()).isZero();
        assertThat(spec.taps().point(TapKind.SOURCE, "r1").openTaps()).isEqualTo(1);

        server.want();
        await().atMost(WAIT).until(() -> spec.taps().point(TapKind.SOURCE, "r1").openTaps() == 0);
        assertThat(client.openTees()).isEmpty();
        assertThat(client.registered()).isTrue();
    }

    @Test
    void aGoneAnswerClosesTheTapAndItStaysClosedWhileTheServerStillListsIt() throws Exception {
        ProtocolServer server = wantingThenGone("c1");
        AgentSpec spec = spec(100);
        TeeClient client = client(server, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> spec.taps().point(TapKind.CHANNEL, "c1").openTaps() == 1);
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            await().atMost(WAIT).until(() -> drained(agent) == 100);
            await().atMost(WAIT).until(() -> spec.taps().point(TapKind.CHANNEL, "c1").openTaps() == 0);
        }
        // The server's heartbeats go on listing c1. A line that also wants r1 is applied as a whole:
        // once r1 is teed, the client has seen c1 listed after the 410 and left it closed.
        server.want("c1", "r1");
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        assertThat(client.openTees()).containsExactly("r1");
        assertThat(spec.taps().point(TapKind.CHANNEL, "c1").openTaps()).isZero();
        assertThat(server.received).isEmpty();
        assertThat(server.posts.get()).isEqualTo(1);
    }

    @Test
    void aGoneTeeIsOpenedAgainWhenTheServerWantsItAgainAfterLettingItGo() throws Exception {
        ProtocolServer server = wantingThenGone("c1");
        AgentSpec spec = spec(10);
        TeeClient client = client(server, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().contains("c1"));
        spec.taps().point(TapKind.CHANNEL, "c1").publish(List.of(Event.of(Map.of(), new byte[] {1})));
        await().atMost(WAIT).until(() -> spec.taps().point(TapKind.CHANNEL, "c1").openTaps() == 0);
        assertThat(client.openTees()).isEmpty();

        // The server lets c1 go (a line without it; r1 shows the line was applied), then wants it again.
        server.gone.remove("c1");
        server.want("r1");
        await().atMost(WAIT).until(() -> client.openTees().equals(Set.of("r1")));
        server.want("c1", "r1");
        await().atMost(WAIT).until(() -> client.openTees().equals(Set.of("c1", "r1")));
        assertThat(spec.taps().point(TapKind.CHANNEL, "c1").openTaps()).isEqualTo(1);
        spec.taps().point(TapKind.CHANNEL, "c1").publish(List.of(Event.of(Map.of(), "again".getBytes(
                StandardCharsets.UTF_8))));
        await().atMost(WAIT).until(() -> server.received("c1").size() == 1);
        assertThat(new String(server.received("c1").get(0).body(), StandardCharsets.UTF_8)).isEqualTo("again");
    }

    @Test
    void aStuckServerNeverSlowsTheAgentAndTheDropsAreCountedAndReported() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.want("r1");
        CountDownLatch release = new CountDownLatch(1);
        server.hold.set(release);
        AgentSpec spec = spec(200_000);
        TeeClient client = client(server, spec, TOKEN,
                new TeeClient.Options(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(60), 50,
                        TeeClient.Options.DEFAULT_TEE_CPU_SHARE));
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            // The sender's first request hangs; the agent still delivers everything.
            await().atMost(Duration.ofSeconds(60)).until(() -> drained(agent) == 200_000);
        }
        await().atMost(WAIT).until(() -> client.counters().dropped() > 0);
        long dropped = client.dropped("r1");
        assertThat(dropped).as("at most a batch and a tap's queue get through").isGreaterThan(198_900);
        server.hold.set(null);
        release.countDown();
        await().atMost(WAIT).until(() -> server.droppedHeaders.stream().anyMatch(d -> d == dropped));
        assertThat(server.droppedHeaders).isSorted();
        assertThat(server.received("r1").size() + dropped).isEqualTo(200_000);
        await().atMost(WAIT).until(() -> client.counters().dropped() == dropped);
    }

    @Test
    void theAgentKeepsDeliveringWhileTheServerIsDownAndRegistersAgainWhenItIsBack() throws Exception {
        ProtocolServer first = new ProtocolServer(0, TOKEN, Duration.ofMillis(500));
        int port = first.port();
        first.want("r1");
        AgentSpec spec = spec(20_000);
        TeeClient client = client(first, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        first.close();
        await().atMost(WAIT).until(() -> !client.registered() && client.openTees().isEmpty());
        assertThat(spec.taps().point(TapKind.SOURCE, "r1").openTaps()).isZero();
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            await().atMost(WAIT).until(() -> drained(agent) == 20_000);
        }
        ProtocolServer second = closing(new ProtocolServer(port, TOKEN, Duration.ofMillis(500)));
        second.want("r1");
        await().atMost(WAIT).until(() -> client.registered() && client.openTees().contains("r1"));
        spec.taps().point(TapKind.SOURCE, "r1").publish(List.of(Event.of(Map.of(), "after".getBytes(
                StandardCharsets.UTF_8))));
        await().atMost(WAIT).until(() -> second.received("r1").size() == 1);
    }

    @Test
    void aNotFoundAnswerMakesTheAgentRegisterAgain() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.want("r1");
        AgentSpec spec = spec(10);
        TeeClient client = client(server, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        assertThat(server.registrations.get()).isEqualTo(1);
        server.forgetNodes = true;
        spec.taps().point(TapKind.SOURCE, "r1").publish(List.of(Event.of(Map.of(), new byte[] {1})));
        await().atMost(WAIT).until(() -> server.registrations.get() >= 2);
        server.forgetNodes = false;
        await().atMost(WAIT).until(() -> client.registered() && client.openTees().contains("r1"));
        assertThat(client.counters().dropped()).isEqualTo(1);
    }

    @Test
    void aSlowSourceIsTeedWholeWithNothingDropped() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.want("r1");
        AgentSpec spec = spec(0);
        TeeClient client = client(server, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        TapPoint r1 = spec.taps().point(TapKind.SOURCE, "r1");
        // a source committing 100 events every 20 ms (5,000 events/s) for a second
        long next = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            r1.publish(numbered(i * 100, 100));
            next += TimeUnit.MILLISECONDS.toNanos(20);
            LockSupport.parkNanos(next - System.nanoTime());
        }
        await().atMost(WAIT).until(() -> server.received("r1").size() == 5000);
        assertThat(server.received("r1")).extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                .startsWith("0", "1").endsWith("4999");
        assertThat(client.counters().dropped()).isZero();
        await().atMost(WAIT).until(() -> client.counters().teed() == 5000); // counted after the server's answer
    }

    @Test
    void aBusyAgentsTeeKeepsWithinItsCpuShareAtTheLowestPriorityAndCountsWhatItDrops() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.keepEvents = false;
        server.want("r1");
        AgentSpec spec = spec(Long.MAX_VALUE);
        double share = 0.02;
        TeeClient client = client(server, spec, TOKEN, FAST.withTeeCpuShare(share));
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            // past the first batches (class loading, the JIT): the tee has used its share and paused
            await().atMost(WAIT).until(() -> client.counters().pausedMillis() > 0 && server.eventsReceived.get() > 0);
            Thread tee = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("rtsql-tee-a1.r1"))
                    .findFirst().orElseThrow();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(tee.getId());
            long wallBefore = System.nanoTime();
            long receivedBefore = server.eventsReceived.get();
            // a measuring window (not a wait for a condition): the tee runs against a source that never stops
            Thread.sleep(2000);
            long cpu = threads.getThreadCpuTime(tee.getId()) - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            assertThat(cpu).as("the tee thread's CPU time over %d ms of wall time", wall / 1_000_000)
                    .isLessThanOrEqualTo((long) (share * wall) + CpuBudget.BURST + TimeUnit.MILLISECONDS.toNanos(40));
            assertThat(server.eventsReceived.get()).as("the tee still delivers").isGreaterThan(receivedBefore);
            assertThat(client.counters().dropped()).isPositive();
            int nice = teeThreadNice("rtsql-tee-a1.r1");
            if (nice != Integer.MIN_VALUE && Files.isExecutable(Path.of("/usr/bin/renice"))) {
                assertThat(nice).isEqualTo(LowPriority.NICE);
            }
        }
    }

    /** The nice value of this process' thread named {@code name} (as Linux shows it), or MIN_VALUE. */
    private static int teeThreadNice(String name) throws IOException {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Integer.MIN_VALUE;
        }
        try (var all = Files.list(tasks)) {
            for (Path task : all.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(name)) {
                        return LowPriority.niceOf(Long.parseLong(task.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return Integer.MIN_VALUE;
    }

    @Test
    void aWrongTokenIsRefusedAndNeverRegisters() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.want("r1");
        AgentSpec spec = spec(10);
        TeeClient client = client(server, spec, "wrong", FAST);
        await().atMost(WAIT).until(() -> server.unauthorized.get() >= 2);
        assertThat(server.registrations.get()).isZero();
        assertThat(client.registered()).isFalse();
        assertThat(client.openTees()).isEmpty();
    }

    private static List<Event> numbered(int from, int n) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(Event.of(Map.of(), Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /**
     * Publishes one event, holds the server on its batch, queues {@code batches} batches of 1,000
     * events behind it and lets the server go: what the sender then posts shows how much it puts in
     * one body.
     */
    private void queueBehindAHeldBatch(ProtocolServer server, AgentSpec spec, int batches) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.hold.set(release);
        var point = spec.taps().point(TapKind.SOURCE, "r1");
        point.publish(numbered(0, 1));
        await().atMost(WAIT).until(() -> server.posts.get() == 1);
        for (int b = 0; b < batches; b++) {
            point.publish(numbered(1 + b * 1000, 1000));
        }
        server.hold.set(null);
        release.countDown();
        await().atMost(WAIT).until(() -> server.received("r1").size() == 1 + batches * 1000);
    }

    @Test
    void batchesGrowToWhatTheServerAnnouncesAndStayAtAThousandForOneThatSaysNothing() throws Exception {
        ProtocolServer announcing = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        announcing.announce = Map.of(TeeAccept.ACCEPT_HEADER, TeeAccept.acceptValue(), TeeAccept.MAX_EVENTS_HEADER,
                "65536", TeeAccept.MAX_BYTES_HEADER, "4194304");
        announcing.maxEvents = 65_536;
        announcing.want("r1");
        AgentSpec spec = spec(10);
        TeeClient client = client(announcing, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        queueBehindAHeldBatch(announcing, spec, 8);
        assertThat(announcing.batchSizes).containsExactly(1, 8000);
        // it announced version 2 of the binary form: the batch-level layout
        assertThat(announcing.binaryVersions).containsOnly(2);
        assertThat(announcing.received("r1")).extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                .startsWith("0", "1", "2").endsWith("7999", "8000");
        assertThat(client.counters().dropped()).isZero();
        client.close();

        ProtocolServer older = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        older.want("r1");
        AgentSpec spec2 = spec(10);
        TeeClient client2 = client(older, spec2, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client2.openTees().contains("r1"));
        queueBehindAHeldBatch(older, spec2, 3);
        assertThat(older.batchSizes).containsExactly(1, 1000, 1000, 1000);
        assertThat(older.malformed).isEmpty();
    }

    @Test
    void aServerThatRefusesTheBinaryFormGetsTheSameEventsAsNdjsonCountedOnce() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.refuseBinary = true;
        server.want("r1", "c1");
        AgentSpec spec = spec(5000);
        TeeClient client = client(server, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().equals(Set.of("c1", "r1")));
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            await().atMost(WAIT).until(() -> drained(agent) == 5000);
            await().atMost(WAIT).until(() -> server.received("r1").size() == 5000 && server.received("c1").size() == 5000);
        }
        List<ProtocolServer.Received> got = server.received("r1");
        assertThat(got).extracting(r -> new String(r.body(), StandardCharsets.UTF_8)).startsWith("0", "1", "2")
                .endsWith("4999");
        assertThat(got.get(0).headers()).containsEntry("dc", "\"eu\" west ü");
        // one refused binary batch per tee at most (both may have been in flight), then ndjson only
        assertThat(server.contentTypes.stream().filter(TeeFrames.CONTENT_TYPE::equals).count()).isBetween(1L, 2L);
        assertThat(server.contentTypes.get(server.contentTypes.size() - 1)).isEqualTo(TeeAccept.NDJSON);
        assertThat(client.counters().formatFallbacks()).isEqualTo(1);
        assertThat(client.counters().dropped()).isZero();
        // the sender counts a batch once it has read the server's answer, after the server kept it
        await().atMost(WAIT).until(() -> client.counters().teed() == 10_000);
    }

    /** Tees ten events of r1 to {@code server}, which announces the forms {@code accept}; its client, once they arrived. */
    private TeeClient teeTenTo(ProtocolServer server, String accept) throws Exception {
        server.announce = Map.of(TeeAccept.ACCEPT_HEADER, accept);
        server.want("r1");
        AgentSpec spec = spec(10);
        TeeClient client = client(server, spec, TOKEN, FAST);
        await().atMost(WAIT).until(() -> client.openTees().contains("r1"));
        spec.taps().point(TapKind.SOURCE, "r1").publish(numbered(0, 10));
        await().atMost(WAIT).until(() -> server.received("r1").size() == 10);
        return client;
    }

    @Test
    void aServerAnnouncingOnlyNdjsonGetsNdjsonFromTheStart() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        server.refuseBinary = true;
        TeeClient client = teeTenTo(server, TeeAccept.NDJSON);
        assertThat(server.contentTypes).containsOnly(TeeAccept.NDJSON);
        assertThat(client.counters().formatFallbacks()).isZero();
    }

    @Test
    void aServerAnnouncingTheBinaryFormWithoutAVersionGetsVersionOne() throws Exception {
        ProtocolServer server = closing(new ProtocolServer(0, TOKEN, Duration.ofMillis(500)));
        // what servers announced before version 2 existed
        TeeClient client = teeTenTo(server, TeeFrames.CONTENT_TYPE + ", " + TeeAccept.NDJSON);
        assertThat(server.binaryVersions).containsOnly(1);
        assertThat(server.malformed).isEmpty();
        assertThat(client.counters().formatFallbacks()).isZero();
    }
}
