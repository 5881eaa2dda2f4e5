package io.sluice.bench.kafka;

import io.sluice.kafka.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrowingTopicTest {
    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static GrowingTopic topic(String name, List<String> log) {
        broker.createTopic(name, 1);
        return new GrowingTopic(broker, name, dir, 10, Map.of("linger.ms", 5),
                i -> new ProducerRecord<>(name, ("r" + i).getBytes(StandardCharsets.UTF_8)), log::add);
    }

    @Test
    void growingAppendsTheNextRecordsSoEveryReaderSeesTheSameInput() throws Exception {
        List<String> log = new ArrayList<>();
        GrowingTopic t = topic("grow", log);
        t.growTo(300);
        t.growTo(200);
        assertThat(t.records()).isEqualTo(300);
        t.growTo(700);
        assertThat(t.records()).isEqualTo(700);
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll("grow", "read_uncommitted")) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            expected.add("r" + i);
        }
        assertThat(values).isEqualTo(expected);
        assertThat(log).hasSize(2).allMatch(l -> l.startsWith("topic grow grown from "));
    }

    @Test
    void growingRefusesToFillTheDiskAndSaysWhatToDo() throws Exception {
        GrowingTopic t = topic("too-big", new ArrayList<>());
        long free = Files.getFileStore(dir).getUsableSpace();
        assertThatThrownBy(() -> t.growTo(free / 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic too-big would need")
                .hasMessageContaining("shorten --warmup or --seconds");
        assertThat(t.records()).isZero();
    }

    @Test
    void deleteTreeRemovesADirectoryAndIgnoresAMissingOne() throws Exception {
        Path d = dir.resolve("gone");
        Files.createDirectories(d.resolve("a/b"));
        Files.writeString(d.resolve("a/b/f"), "x");
        GrowingTopic.deleteTree(d);
        assertThat(d).doesNotExist();
        GrowingTopic.deleteTree(d);
    }
}
