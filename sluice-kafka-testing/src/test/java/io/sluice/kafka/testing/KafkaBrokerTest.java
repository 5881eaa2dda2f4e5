package io.sluice.kafka.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {
    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void keepsAcknowledgedRecordsAndItsPortAcrossARestart() {
        broker.createTopic("restart", 2);
        broker.produce("restart", bodies("a", 50));
        int port = broker.port();

        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        broker.start();

        assertThat(broker.port()).isEqualTo(port);
        broker.produce("restart", bodies("b", 50));
        List<String> read = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll("restart", "read_committed")) {
            read.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        List<String> expected = new ArrayList<>();
        bodies("a", 50).forEach(b -> expected.add(new String(b, StandardCharsets.UTF_8)));
        bodies("b", 50).forEach(b -> expected.add(new String(b, StandardCharsets.UTF_8)));
        assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<byte[]> bodies(String prefix, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((prefix + i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
