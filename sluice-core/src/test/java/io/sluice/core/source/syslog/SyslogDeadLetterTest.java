package io.sluice.core.source.syslog;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.testing.FreePorts;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Invalid syslog messages go to the dead-letter channel; valid ones to the source's channels. */
class SyslogDeadLetterTest {
    private static final String MESSAGES = "<13>1 2026-12-06T10:00:00Z web1 app - - - valid one\n"
            + "no priority at all\n"
            + "<34>Oct 11 22:14:15 web2 su: valid two\n"
            + "<x>garbage\n";

    private Source source;
    private TestContexts ctx;
    private final MemoryPipe pipe = new MemoryPipe(100, 10);

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private void start(ComponentFactory<Source> factory, int port, MemoryPipe dlq) {
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1", "port", Integer.toString(port)));
        source = factory.create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        if (dlq != null) {
            ((DeadLetterAware) source).setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1",
                    Clock.systemUTC()));
        }
        source.start();
    }

    private static void sendTcp(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(MESSAGES.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static List<Event> receive(MemoryPipe p, int n) {
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(p.drain());
            return got.size() >= n;
        });
        return got;
    }

    @Test
    void syslogtcpSetsInvalidMessagesAside() throws Exception {
        int port = FreePorts.tcp();
        MemoryPipe dlq = new MemoryPipe(100, 10);
        start(new SyslogTcpSourceFactory(), port, dlq);
        sendTcp(port);
        List<Event> letters = receive(dlq, 2);
        List<Event> good = receive(pipe, 2);
        assertThat(good).extracting(Event::bodyAsString).allMatch(b -> b.contains("valid"));
        assertThat(letters).extracting(Event::bodyAsString).containsExactly("no priority at all", "<x>garbage");
        Event first = letters.get(0);
        assertThat(first.header(DeadLetters.ERROR)).isEqualTo(InvalidMessages.REASON);
        assertThat(first.header(DeadLetters.COMPONENT)).isEqualTo("a1.sources.r1");
        assertThat(first.headers()).containsEntry("flume.syslog.status", "Invalid").containsKey(DeadLetters.FAILED_AT);
        assertThat(ctx.counters().find("SOURCE", "r1").get(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(2);
    }

    @Test
    void withoutADeadLetterChannelOrWhenItIsFullInvalidMessagesAreDeliveredAsApacheFlumeDoes() throws Exception {
        int port = FreePorts.tcp();
        MemoryPipe full = new MemoryPipe(1, 10);
        full.put(List.of(Event.ofString("already there")));
        start(new SyslogTcpSourceFactory(), port, full);
        sendTcp(port);
        List<Event> got = receive(pipe, 4);
        assertThat(got).filteredOn(e -> "Invalid".equals(e.header("flume.syslog.status")))
                .extracting(Event::bodyAsString).containsExactly("no priority at all", "<x>garbage");
        assertThat(ctx.counters().find("SOURCE", "r1").get(RejectedInput.DEAD_LETTER_WRITE_FAIL)).isEqualTo(2);
    }

    @Test
    void syslogudpSetsInvalidDatagramsAside() throws Exception {
        int port = FreePorts.udp();
        MemoryPipe dlq = new MemoryPipe(100, 10);
        start(new SyslogUdpSourceFactory(), port, dlq);
        try (DatagramSocket s = new DatagramSocket()) {
            for (String m : MESSAGES.split("\n")) {
                byte[] b = m.getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
        }
        assertThat(receive(dlq, 2)).extracting(Event::bodyAsString).containsExactly("no priority at all", "<x>garbage");
        assertThat(receive(pipe, 2)).hasSize(2);
    }
}
