package io.sluice.core.source.http;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.PendingBytesBudget;
import io.sluice.testing.FreePorts;
import io.sluice.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request that waited for the channel longer than requestTimeout is answered 503 and not
 * committed: its sender has most likely given up and will retry, and committing it as well would
 * create a duplicate. Time is a hand-moved clock; the wait is made by a channel that moves it.
 */
class HttpRequestDeadlineTest {
    private HttpSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private static String request(String body) {
        return "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
    }

    /** What the source holds for the two requests below: 256 per head (its estimate) and both bodies. */
    private static final long BOTH_REQUESTS_HELD = 2 * 256 + "[{\"body\":\"first\"}]".length()
            + "[{\"body\":\"second\"}]".length();

    @Test
    void aRequestThatWaitedPastTheDeadlineIsAnswered503WithoutBeingCommitted() throws Exception {
        TestClock clock = new TestClock(Instant.ofEpochMilli(1_000_000));
        List<String> committed = new CopyOnWriteArrayList<>();
        SourceCounter counter = new SourceCounter("r1");
        ChannelProcessor slowChannel = new ChannelProcessor() {
            @Override
            public void processEvent(Event event) {
                processEventBatch(List.of(event));
            }

            @Override
            public void processEventBatch(List<Event> events) {
                for (Event e : events) {
                    committed.add(new String(e.body(), StandardCharsets.UTF_8));
                }
                // The first batch keeps the channel busy for five seconds, once the second request
                // is in (its head stamped): both requests' bytes are then held unanswered, and the
                // I/O thread holds the second's content only after it stamped its head.
                if (committed.size() == 1) {
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            counter.gauge(PendingBytesBudget.GAUGE).get() >= BOTH_REQUESTS_HELD);
                    clock.advanceMillis(5_000);
                }
            }
        };
        source = new HttpSource("r1", "a1.sources.r1", InetAddress.getLoopbackAddress(), FreePorts.tcp(), 1 << 20,
                new HttpLimits(60_000, 30_000, 2_000, 10, 1 << 20), new JsonEventDecoder(), null,
                counter, clock);
        source.setChannelProcessor(slowChannel);
        source.start();

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), source.localAddress().getPort())) {
            // Two pipelined requests: the second arrives while the first holds the channel.
            s.getOutputStream().write((request("[{\"body\":\"first\"}]") + request("[{\"body\":\"second\"}]"))
                    .getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(20_000);
            String answers = readAnswers(s.getInputStream(), 2);
            assertThat(answers).startsWith("HTTP/1.1 200");
            assertThat(answers.substring(answers.indexOf("HTTP/1.1", 5))).startsWith("HTTP/1.1 503")
                    .contains("requestTimeout = 2000 ms").contains("nothing of it was committed");
        }
        assertThat(committed).containsExactly("first");
    }

    private static String readAnswers(InputStream in, int count) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            String text = out.toString(StandardCharsets.US_ASCII);
            int seen = text.split("HTTP/1.1 ", -1).length - 1;
            if (seen >= count && text.endsWith("\n")) {
                return text;
            }
            int n = in.read(buf);
            if (n < 0) {
                return text;
            }
            out.write(buf, 0, n);
        }
    }
}
