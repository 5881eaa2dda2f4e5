package io.sluice.core.source.syslog;

import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.testing.FreePorts;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Datagrams arriving while the channel is full are left to the kernel's receive buffer (which
 * drops what does not fit, as UDP does) instead of being read and queued in the agent's memory: a
 * real {@code syslogudp} source and socket, and a real memory channel that is full and whose
 * {@code keep-alive} is long, so the put of the events handler waits inside the channel.
 */
class SyslogUdpReadAheadTest {
    private static final int DATAGRAMS = 100_000;

    private Source source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    @Test
    void datagramsBeyondTheReadAheadAreLeftToTheKernelWhileTheChannelIsFull() throws Exception {
        MemoryPipe pipe = new MemoryPipe(1000, 100, 60_000);
        int port = FreePorts.udp();
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "port", Integer.toString(port)));
        source = new SyslogUdpSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        source.start();

        try (DatagramSocket socket = new DatagramSocket()) {
            InetAddress to = InetAddress.getLoopbackAddress();
            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] m = ("<13>Dec  6 12:00:00 host1 app: m" + i + " " + "x".repeat(60))
                        .getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(m, m.length, to, port));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pipe.size() == 1000);

        // Room again: what was read ahead and what the kernel kept arrive; the rest was never read.
        long[] delivered = {0};
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            delivered[0] += pipe.drain().size();
            boolean quiet = delivered[0] == last[0];
            last[0] = delivered[0];
            return quiet;
        });
        // The channel's 1000, what the read-ahead holds (128 KiB at about 150 bytes a message) and the
        // kernel's receive buffer (a few hundred small datagrams at the default 208 KiB), with room
        // to spare. Without the bound the source read on and queued about 7,900 here.
        long readAhead = ReadGate.HIGH_BYTES / ReadGate.weight(90);
        assertThat(delivered[0]).as("datagrams delivered of %d sent while the channel was full", DATAGRAMS)
                .isGreaterThanOrEqualTo(1000)
                .isLessThan(1000 + readAhead + 1500);
    }
}
