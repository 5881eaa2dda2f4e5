package io.sluice.core.source.netcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.FreePorts;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lines at the edges of the limit and lines the sender never ends. */
class NetcatEdgesTest {
    private NetcatSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private TestContexts start(MemoryPipe pipe, Map<String, String> extra) {
        Map<String, String> keys = new java.util.HashMap<>(Map.of("type", "netcat", "bind", "127.0.0.1",
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
