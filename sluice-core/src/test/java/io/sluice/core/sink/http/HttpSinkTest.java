package io.sluice.core.sink.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.api.Channel;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.TestChannels;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.support.AbstractBatchSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The http sink against a real HTTP server on 127.0.0.1 whose answers each test scripts. */
class HttpSinkTest {
    /** A status the server answers with, or {@link #NEVER} to never answer. */
    private static final int NEVER = -1;

    private record Received(String method, String path, String contentType, String accept, String body) {
    }

    private HttpServer server;
    private final BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();
    private final List<Received> received = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private MemoryChannel channel;
    private HttpSink sink;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/events", this::handle);
        server.start();
        channel = TestChannels.memory("c1", 100);
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        if (sink != null) {
            sink.stop();
        }
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        synchronized (received) {
            received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Accept"),
                    new String(body, StandardCharsets.UTF_8)));
        }
        Integer status = statuses.poll();
        int s = status == null ? 200 : status;
        if (s == NEVER) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        byte[] answer = ("answer " + s).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(s, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    private HttpSink sink(Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>();
        keys.put("endpoint", endpoint());
        keys.putAll(extra);
        TestContexts ctx = TestContexts.of(ComponentKind.SINK, "k1", keys);
        HttpSink s = (HttpSink) new HttpSinkFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        s.setChannel(channel);
        s.start();
        sink = s;
        return s;
    }

    /** Flume's documented setup: 2XX commits without backing off and counts; 4XX is dropped. */
    private static Map<String, String> flumeUserGuideRules() {
        return Map.of("backoff.2XX", "false", "rollback.2XX", "false", "incrementMetrics.2XX", "true",
                "backoff.4XX", "false", "rollback.4XX", "false");
    }

    private void put(String... bodies) {
        put(channel, bodies);
    }

    private static void put(Channel c, String... bodies) {
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (String b : bodies) {
                tx.put(Event.builder().body(b).header("h", "v").build());
            }
            tx.commit();
        }
    }

    private static List<Event> drain(Channel c) {
        return TestChannels.drain(c);
    }

    private List<String> receivedBodies() {
        synchronized (received) {
            return received.stream().map(Received::body).toList();
        }
    }

    @Test
    void acceptedEventIsPostedWithTheConfiguredHeadersCommittedAndCounted() throws Exception {
        HttpSink s = sink(Map.of("rollback.2XX", "false", "backoff.2XX", "false", "incrementMetrics.200", "true",
                "contentTypeHeader", "application/json", "acceptHeader", "application/json"));
        put("{\"n\":1}");
        assertThat(s.process()).isEqualTo(Status.READY);
        synchronized (received) {
            assertThat(received).containsExactly(
                    new Received("POST", "/events", "application/json", "application/json", "{\"n\":1}"));
        }
        assertThat(channel.size()).isZero();
        assertThat(s.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(1);
    }

    @Test
    void defaultsAreApacheFlumesTextPlainAndAnAcceptedEventIsRolledBack() throws Exception {
        TestContexts ctx = TestContexts.of(ComponentKind.SINK, "k1", Map.of("endpoint", endpoint()));
        new HttpSinkFactory().create(ctx.context());
        assertThat(ctx.warnings()).anyMatch(w -> w.contains("rollback.2XX = false"));
        HttpSink s = sink(Map.of());
        put("one");
        assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("answered 200").hasMessageContaining("defaultRollback");
        synchronized (received) {
            assertThat(received.get(0).contentType()).isEqualTo("text/plain");
            assertThat(received.get(0).accept()).isEqualTo("text/plain");
        }
        assertThat(channel.size()).as("rolled back, as Apache Flume does by default").isEqualTo(1);
    }

    @Test
    void serverErrorRollsBackAndTheEventIsSentAgainOnceTheServerRecovers() throws Exception {
        HttpSink s = sink(flumeUserGuideRules());
        statuses.add(503);
        put("a", "b");
        assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("answered 503").hasMessageContaining("answer 503");
        assertThat(channel.size()).isEqualTo(2);
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(receivedBodies()).containsExactly("a", "a", "b");
        assertThat(channel.size()).isZero();
        assertThat(s.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(2);
        assertThat(s.counter().get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(1);
    }

    @Test
    void refusedEventIsDroppedAndCountedWithoutADeadLetterChannel() throws Exception {
        HttpSink s = sink(flumeUserGuideRules());
        statuses.add(400);
        put("bad", "good");
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(receivedBodies()).containsExactly("bad", "good");
        assertThat(channel.size()).isZero();
        assertThat(s.counter().get(HttpSink.REJECTED_COUNT)).isEqualTo(1);
        assertThat(s.counter().get(SinkCounter.DRAIN_SUCCESS)).as("incrementMetrics.4XX is false").isEqualTo(1);
    }

    @Test
    void refusedEventGoesToTheDeadLetterChannelWithTheStatus() throws Exception {
        MemoryChannel dlq = TestChannels.memory("dlq", 100);
        Map<String, String> keys = new HashMap<>(flumeUserGuideRules());
        keys.put("batchSize", "3");
        HttpSink s = sink(keys);
        s.setDeadLetters(new DeadLetters(dlq, "a1.sinks.k1", Clock.systemUTC()));
        statuses.add(200);
        statuses.add(422);
        statuses.add(200);
        put("1", "2", "3");
        assertThat(s.process()).isEqualTo(Status.READY);
        List<Event> letters = drain(dlq);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).bodyAsString()).isEqualTo("2");
        assertThat(letters.get(0).header("h")).isEqualTo("v");
        assertThat(letters.get(0).header(DeadLetters.ERROR)).contains("answered 422").contains("answer 422");
        assertThat(s.counter().get(AbstractBatchSink.DEAD_LETTER_COUNT)).isEqualTo(1);
        assertThat(s.counter().get(HttpSink.REJECTED_COUNT)).isEqualTo(1);
        assertThat(s.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(2);
        assertThat(channel.size()).isZero();
    }

    @Test
    void anExactStatusOverridesItsClassWhichOverridesTheDefault() throws Exception {
        Map<String, String> keys = new HashMap<>(flumeUserGuideRules());
        keys.put("rollback.404", "true");
        keys.put("backoff.201", "true");
        keys.put("defaultRollback", "false");
        keys.put("defaultBackoff", "false");
        HttpSink s = sink(keys);
        statuses.add(404);
        put("x");
        assertThatThrownBy(s::process).hasMessageContaining("answered 404").hasMessageContaining("rollback.404");
        assertThat(channel.size()).isEqualTo(1);
        statuses.add(201);
        assertThat(s.process()).as("backoff.201 beats backoff.2XX").isEqualTo(Status.BACKOFF);
        assertThat(channel.size()).isZero();
        put("y");
        statuses.add(302);
        assertThat(s.process()).as("no rule for 3XX: the defaults (commit, no back-off)").isEqualTo(Status.READY);
        assertThat(s.counter().get(SinkCounter.DRAIN_SUCCESS)).as("defaultIncrementMetrics is false").isEqualTo(1);
    }

    @Test
    void serverThatNeverAnswersTimesOutAndRollsBack() throws Exception {
        Map<String, String> keys = new HashMap<>(flumeUserGuideRules());
        keys.put("requestTimeout", "300");
        HttpSink s = sink(keys);
        statuses.add(NEVER);
        put("slow");
        assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("did not answer").hasMessageContaining("requestTimeout");
        assertThat(channel.size()).isEqualTo(1);
        assertThat(s.counter().get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(1);
    }

    @Test
    void refusedConnectionRollsBackAndSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        TestContexts ctx = TestContexts.of(ComponentKind.SINK, "k1",
                Map.of("endpoint", "http://127.0.0.1:" + closedPort + "/x", "rollback.2XX", "false"));
        HttpSink s = (HttpSink) new HttpSinkFactory().create(ctx.context());
        s.setChannel(channel);
        s.start();
        sink = s;
        put("lost?");
        assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("could not connect").hasMessageContaining(":" + closedPort);
        assertThat(channel.size()).isEqualTo(1);
        assertThat(s.counter().get(SinkCounter.CONNECTION_FAILED)).isEqualTo(1);
    }

    @Test
    void badKeysAreReportedWithTheirNames() {
        TestContexts ctx = TestContexts.of(ComponentKind.SINK, "k1", Map.of("endpoint", "ftp://host/x",
                "backoff.2X", "true", "rollback.5XX", "maybe", "connectTimeout", "0"));
        new HttpSinkFactory().create(ctx.context());
        assertThat(ctx.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "a1.sinks.k1.endpoint", "a1.sinks.k1.backoff.2X", "a1.sinks.k1.rollback.5XX",
                "a1.sinks.k1.connectTimeout");
        TestContexts missing = TestContexts.of(ComponentKind.SINK, "k1", Map.of());
        new HttpSinkFactory().create(missing.context());
        assertThat(missing.problems()).extracting(ConfigProblem::key).containsExactly("a1.sinks.k1.endpoint");
    }
}
