package io.sluice.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestClockAndFreePortsTest {

    @Test
    void testClockMovesOnlyWhenMoved() {
        TestClock clock = new TestClock(Instant.parse("2024-05-01T00:00:00Z"));
        long t0 = clock.millis();
        clock.advance(Duration.ofSeconds(3));
        assertThat(clock.millis() - t0).isEqualTo(3000);
        assertThat(clock.withZone(ZoneId.of("Europe/Paris")).millis()).isEqualTo(clock.millis());
    }

    @Test
    void freePortCanBeBound() throws IOException {
        int port = FreePorts.tcp();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
        assertThat(FreePorts.udp()).isBetween(1, 65535);
    }

    @Test
    void sleepingOnTheTestClockMovesItAndIsRecorded() {
        TestClock clock = new TestClock(Instant.parse("2024-05-01T00:00:00Z"));
        long t0 = clock.nanoTime();
        clock.sleepNanos(1_500_000);
        clock.sleepNanos(0);
        clock.sleepNanos(-5);
        assertThat(clock.nanoTime() - t0).isEqualTo(1_500_000);
        assertThat(clock.sleeps()).containsExactly(1_500_000L);
        clock.clearSleeps();
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void noPortIsHandedOutTwice() {
        Set<Integer> tcp = new HashSet<>();
        Set<Integer> udp = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(tcp.add(FreePorts.tcp())).as("TCP port handed out twice").isTrue();
            assertThat(udp.add(FreePorts.udp())).as("UDP port handed out twice").isTrue();
        }
    }
}
