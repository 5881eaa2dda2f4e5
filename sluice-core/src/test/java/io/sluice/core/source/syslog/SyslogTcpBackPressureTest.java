package io.sluice.core.source.syslog;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.selector.MultiplexingChannelSelector;
import io.sluice.testing.FreePorts;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection whose batch the channel refuses waits without holding up the other connections: a
 * real {@code syslogtcp} source, real sockets, real memory channels behind a multiplexing selector
 * on the {@code host} header, so the messages of host {@code full} go to a channel that is full
 * while those of the other hosts go to one with room.
 */
class SyslogTcpBackPressureTest {
    private Source source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private static MemoryChannel channel(String name, int capacity) {
        MemoryChannel c = new MemoryChannel(name, "a1.channels." + name, capacity, capacity, Long.MAX_VALUE, 10,
                new ChannelCounter(name));
        c.start();
        return c;
    }

    private static List<String> drain(MemoryChannel channel) {
        List<Event> out = new ArrayList<>();
        int available;
        while ((available = channel.size()) > 0) {
            try (Transaction tx = channel.getTransaction()) {
                tx.begin();
                tx.takeBatch(available, out);
                tx.commit();
            }
        }
        return out.stream().map(Event::bodyAsString).toList();
    }

    private static String lines(String host, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append("<13>Dec  6 11:30:00 ").append(host).append(' ').append(host).append("-m").append(i).append('\n');
        }
        return b.toString();
    }

    private static void send(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Socket connect(int port, TestContexts ctx, int open) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ctx.counters().find("SOURCE", "r1").get("OpenConnectionCount") == open);
        return s;
    }

    @Test
    void otherConnectionsAreServedWhileOneWaitsOnAFullChannelAndNothingIsLost() throws Exception {
        MemoryChannel full = channel("full", 100);
        MemoryChannel open = channel("open", 10_000);
        MultiplexingChannelSelector selector = new MultiplexingChannelSelector("host",
                Map.of("full", List.of("full")), Map.of(), List.of("open"));
        selector.setChannels(List.of(full, open));
        DefaultChannelProcessor processor = new DefaultChannelProcessor("a1.sources.r1", selector, List.of(),
                new CounterGroup("SOURCE", "r1"));
        processor.initialize();
        int port = FreePorts.tcp();
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "port", Integer.toString(port)));
        source = new SyslogTcpSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(processor);
        source.start();

        // Connections are opened one after the other, so they take the source's two handler threads
        // in turn: the third connection shares the waiting connection's thread.
        try (Socket waiting = connect(port, ctx, 1);
                Socket second = connect(port, ctx, 2);
                Socket third = connect(port, ctx, 3)) {
            // 'full' holds 100 events: the first 100 messages fill it, the next batch is refused and waits.
            send(waiting, lines("full", 0, 100));
            await().atMost(Duration.ofSeconds(20)).until(() -> full.size() == 100);
            send(waiting, lines("full", 100, 150));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ctx.counters().find("SOURCE", "r1").get("ChannelWriteFail") > 0);

            // Both other connections are served while it waits, the one on its thread too.
            List<String> served = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                send(second, lines("second", round * 10, round * 10 + 10));
                send(third, lines("third", round * 10, round * 10 + 10));
                int expected = (round + 1) * 20;
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    served.addAll(drain(open));
                    return served.size() >= expected;
                });
            }
            assertThat(served).hasSize(100).doesNotHaveDuplicates().contains("second-m0", "second-m49", "third-m0", "third-m49");
            assertThat(full.size()).as("the full channel stayed full meanwhile").isEqualTo(100);

            // Room in the full channel: the waiting batch, and what followed it, arrive in order.
            List<String> late = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                late.addAll(drain(full));
                return late.size() >= 150;
            });
            List<String> expectedLate = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                expectedLate.add("full-m" + i);
            }
            assertThat(late).containsExactlyElementsOf(expectedLate);
        }
        assertThat(ctx.counters().find("SOURCE", "r1").get("EventAcceptedCount")).isEqualTo(250);
    }
}
