package io.sluice.core.source.netcatudp;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.testing.FreePorts;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NetcatUdpSourceTest {
    private NetcatUdpSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private TestContexts start(MemoryPipe pipe) {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "netcatudp",
                "bind", "127.0.0.1", "port", Integer.toString(FreePorts.udp()), "remoteAddressHeader", "from"));
        source = (NetcatUdpSource) new NetcatUdpSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        source.start();
        return ctx;
    }

    private void send(String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(),
                    source.localAddress().getPort()));
        }
    }

    @Test
    void eachLineOfADatagramBecomesAnEventWithTheSendersAddress() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        start(pipe);
        send("first\nsecond\n");
        send("third");
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(pipe.drain());
            return got.size() >= 3;
        });
        assertThat(got).extracting(Event::bodyAsString).containsExactly("first", "second", "third");
        assertThat(got).allSatisfy(e -> assertThat(e.header("from")).isEqualTo("127.0.0.1"));
    }

    @Test
    void eventsTheChannelRefusesAreCounted() throws Exception {
        MemoryPipe pipe = new MemoryPipe(1, 20);
        TestContexts ctx = start(pipe);
        send("a");
        send("b");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                ctx.counters().find("SOURCE", "r1").get(SourceCounter.EVENT_RECEIVED) == 2);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                ctx.counters().find("SOURCE", "r1").get(SourceCounter.CHANNEL_WRITE_FAIL) == 1);
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("a");
    }

    @Test
    void portOutOfRangeIsAProblem() {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "netcatudp",
                "bind", "127.0.0.1", "port", "65536"));
        assertThat(new NetcatUdpSourceFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources.r1.port");
    }
}
