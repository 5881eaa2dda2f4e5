package io.sluice.core.source.syslog;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sender faster than the source's parsing and channel puts is held back by TCP instead of having
 * everything it writes read off the socket and queued in the agent's heap: a real {@code syslogtcp}
 * source and socket, and a real memory channel that is full and whose {@code keep-alive} is long,
 * so the put of the connection's events handler waits inside the channel while the sender goes on
 * writing.
 */
class SyslogTcpReadAheadTest {
    /** Far more than the kernel's socket buffers on loopback can hold (a few MiB, 36 MiB at most here). */
    private static final int MESSAGES = 1_000_000;
    private static final int MESSAGE_BYTES = 100;

    private Source source;
    private Socket socket;

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (source != null) {
            source.stop();
        }
    }

    private static byte[] message(int i) {
        StringBuilder m = new StringBuilder("<13>Dec  6 12:00:00 host1 app: m").append(i).append(' ');
        while (m.length() < MESSAGE_BYTES - 1) {
            m.append('x');
        }
        return m.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSenderFasterThanTheChannelIsHeldBackAndNothingIsLost() throws Exception {
        // The channel holds 10,000 events; a put that does not fit waits up to a minute for room, inside the handler.
        MemoryPipe pipe = new MemoryPipe(10_000, 100, 60_000);
        int port = FreePorts.tcp();
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "port", Integer.toString(port)));
        source = new SyslogTcpSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        source.start();

        socket = new Socket("127.0.0.1", port);
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[MESSAGE_BYTES * 100];
                for (int i = 0; i < MESSAGES; i += 100) {
                    for (int k = 0; k < 100; k++) {
                        System.arraycopy(message(i + k), 0, chunk, k * MESSAGE_BYTES, MESSAGE_BYTES);
                    }
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        }, "syslog-test-sender");
        sender.setDaemon(true);
        sender.start();

        // The sender stalls: its writes block once the socket buffers are full.
        await().atMost(Duration.ofSeconds(30)).until(() -> pipe.size() > 9_900);
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = written.get();
            boolean stalled = now == last[0];
            last[0] = now;
            return stalled;
        });
        long total = (long) MESSAGES * MESSAGE_BYTES;
        assertThat(failure.get()).isNull();
        assertThat(sender.isAlive()).as("the sender is still blocked in write").isTrue();
        assertThat(written.get()).as("bytes the sender could write while the channel was full (of %d)", total)
                .isLessThan(total / 2);

        // Room again: every message arrives, once and in order, and the sender finishes.
        int[] next = {0};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() -> {
            for (Event e : pipe.drain()) {
                String body = e.bodyAsString();
                String expected = "app: m" + next[0] + " ";
                assertThat(body).as("event %d", next[0]).startsWith(expected);
                next[0]++;
            }
            return next[0] == MESSAGES;
        });
        sender.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(written.get()).isEqualTo(total);
    }
}
