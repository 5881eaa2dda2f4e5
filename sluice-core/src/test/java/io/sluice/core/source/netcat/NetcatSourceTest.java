package io.sluice.core.source.netcat;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.metrics.MicrometerLatency;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.testing.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NetcatSourceTest {
    private NetcatSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private TestContexts start(MemoryPipe pipe, Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(Map.of("type", "netcat", "bind", "127.0.0.1",
                "port", Integer.toString(FreePorts.tcp())));
        keys.putAll(extra);
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", keys);
        Source s = new NetcatSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source = (NetcatSource) s;
        source.setChannelProcessor(pipe.processor());
        source.start();
        return ctx;
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), source.localAddress().getPort());
        socket.setSoTimeout(15_000);
        return socket;
    }

    @Test
    void everyLineBecomesAnEventAnsweredOk() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        start(pipe, Map.of());
        try (Socket socket = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            socket.getOutputStream().write("hello\nwörld\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("OK");
            assertThat(in.readLine()).isEqualTo("OK");
        }
        List<Event> events = pipe.drain();
        assertThat(events).extracting(Event::bodyAsString).containsExactly("hello", "wörld\r");
    }

    @Test
    void theLinesOfOneReadAreCommittedTogetherAndEachIsAnsweredOk() throws Exception {
        MemoryPipe pipe = new MemoryPipe(10_000, 100);
        TestContexts ctx = start(pipe, Map.of());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            lines.append("line-").append(i).append('\n');
        }
        try (Socket socket = connect()) {
            // one write of 9 KB: it arrives in a handful of reads, never in one read per line
            socket.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < 1000; i++) {
                assertThat(in.readLine()).as("answer %d", i).isEqualTo("OK");
            }
        }
        List<Event> events = pipe.drain();
        assertThat(events).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(events.get(i).bodyAsString()).isEqualTo("line-" + i);
        }
        long commits = ((MicrometerLatency) pipe.counter().latencies().get(ChannelCounter.PUT_COMMIT_LATENCY))
                .snapshot().count();
        assertThat(commits).as("put transactions for 1000 lines").isBetween(1L, 100L);
        CounterGroup counter = ctx.counters().find("SOURCE", "r1");
        assertThat(counter.get(SourceCounter.EVENT_RECEIVED)).isEqualTo(1000);
        assertThat(counter.get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(1000);
    }

    @Test
    void aReadLargerThanTheTransactionCapacityIsCommittedInSeveralTransactions() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 4, 100);
        start(pipe, Map.of());
        try (Socket socket = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            socket.getOutputStream().write("a\nb\nc\nd\ne\nf\ng\nh\ni\n".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 9; i++) {
                assertThat(in.readLine()).isEqualTo("OK");
            }
        }
        assertThat(pipe.drain()).extracting(Event::bodyAsString)
                .containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i");
    }

    @Test
    void senderThatHalfClosesStillGetsEveryOkThenTheConnectionCloses() throws Exception {
        MemoryPipe pipe = new MemoryPipe(1000, 1000);
        start(pipe, Map.of());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            lines.append("line-").append(i).append('\n');
        }
        try (Socket socket = connect()) {
            socket.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> answers = in.lines().collect(Collectors.toList());
            assertThat(answers).hasSize(200).containsOnly("OK");
        }
        assertThat(pipe.drain()).hasSize(200);
    }

    @Test
    void overLongLineIsCutCountedAnsweredAndTheConnectionKeepsServing() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        TestContexts ctx = start(pipe, Map.of("max-line-length", "10"));
        try (Socket socket = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write("123456789\n".getBytes(StandardCharsets.UTF_8)); // 10 with the newline: fits
            assertThat(in.readLine()).isEqualTo("OK");
            out.write(("x".repeat(5000) + "\nshort\n").getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("FAILED: Event exceeds the maximum length (10 chars, including newline)");
            assertThat(in.readLine()).isEqualTo("OK");
        }
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("123456789", "short");
        CounterGroup counter = ctx.counters().find("SOURCE", "r1");
        assertThat(counter.get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(1);
        assertThat(counter.get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(2);
    }

    @Test
    void overLongLinesAreKeptInTheDeadLetterChannelCutAtTheLimit() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        MemoryPipe dlq = new MemoryPipe(100, 100);
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "netcat", "bind", "127.0.0.1",
                "port", Integer.toString(FreePorts.tcp()), "max-line-length", "10"));
        source = (NetcatSource) new NetcatSourceFactory().create(ctx.context());
        source.setChannelProcessor(pipe.processor());
        source.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1", Clock.systemUTC()));
        source.start();
        try (Socket socket = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            // one line over the limit in one write, one spread over several reads, one CRLF line one byte over
            out.write(("abcdefghijklmnop\nok-1\n").getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("FAILED: Event exceeds the maximum length (10 chars");
            assertThat(in.readLine()).isEqualTo("OK");
            out.write("0123456789".repeat(1000).getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("tail\n123456789\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("FAILED: Event exceeds the maximum length (10 chars");
            assertThat(in.readLine()).startsWith("FAILED: Event exceeds the maximum length (10 chars");
        }
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("ok-1");
        List<Event> letters = dlq.drain();
        assertThat(letters).extracting(Event::bodyAsString).containsExactly("abcdefghij", "0123456789",
                "123456789\r");
        assertThat(letters.get(0).header(DeadLetters.ERROR)).isEqualTo("line of 17 bytes (counting the newline) is"
                + " longer than max-line-length 10; its first 10 bytes are kept");
        assertThat(letters.get(1).header(DeadLetters.ERROR)).startsWith("line of 10005 bytes");
        assertThat(letters.get(0).header(DeadLetters.COMPONENT)).isEqualTo("a1.sources.r1");
        assertThat(letters.get(0).header("remoteAddress")).contains("127.0.0.1");
        CounterGroup counter = ctx.counters().find("SOURCE", "r1");
        assertThat(counter.get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(3);
        assertThat(counter.get(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(3);
    }

    @Test
    void fullChannelIsAnsweredWithFailedNeverOk() throws Exception {
        MemoryPipe pipe = new MemoryPipe(2, 50);
        TestContexts ctx = start(pipe, Map.of());
        try (Socket socket = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("OK");
            assertThat(in.readLine()).isEqualTo("OK");
            assertThat(in.readLine()).startsWith("FAILED: ");
            assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("a", "b");
            out.write("c\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("OK");
        }
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("c");
        CounterGroup counter = ctx.counters().find("SOURCE", "r1");
        assertThat(counter.get(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(1);
        assertThat(counter.get(SourceCounter.EVENT_RECEIVED)).isEqualTo(4);
        assertThat(counter.get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(3);
    }

    @Test
    void withoutAckEveryEventOnlyRefusalsAreAnswered() throws Exception {
        MemoryPipe pipe = new MemoryPipe(1, 50);
        start(pipe, Map.of("ack-every-event", "false"));
        try (Socket socket = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            socket.getOutputStream().write("a\nb\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("FAILED: ");
        }
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("a");
    }

    @Test
    void outOfRangePortAndMissingBindAreConfigurationProblems() {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "netcat", "port", "70000",
                "max-line-length", "many"));
        assertThat(new NetcatSourceFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("a1.sources.r1.port",
                "a1.sources.r1.bind", "a1.sources.r1.max-line-length");
        ConfigProblem port = ctx.problems().stream().filter(p -> p.key().endsWith("port")).findFirst().orElseThrow();
        assertThat(port.value()).isEqualTo("70000");
        assertThat(port.toString()).contains("between 1 and 65535");
    }

    @Test
    void theLimitCountsACarriageReturnBeforeTheNewline() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        start(pipe, Map.of("max-line-length", "8"));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), source.localAddress().getPort())) {
            socket.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            // 7 bytes + CR + LF = 9 bytes counting the newline: one over. 6 + CR + LF = 8: accepted.
            socket.getOutputStream().write("1234567\r\n123456\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("FAILED: Event exceeds the maximum length (8 chars");
            assertThat(in.readLine()).isEqualTo("OK");
        }
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("123456\r");
    }

    @Test
    void aLastLineWithoutNewlineIsCountedAsAReadFailure() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        TestContexts ctx = start(pipe, Map.of());
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), source.localAddress().getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("whole\nunfinished".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("OK");
            assertThat(in.readLine()).as("closed after the last answer").isNull();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ctx.counters().find("SOURCE", "r1")
                .get(SourceCounter.EVENT_READ_FAIL) == 1);
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("whole");
    }
}
