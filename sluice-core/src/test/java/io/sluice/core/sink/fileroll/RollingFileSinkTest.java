package io.sluice.core.sink.fileroll;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.testing.TestClock;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RollingFileSinkTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.ofEpochMilli(1_700_000_000_000L));
    private final MemoryPipe pipe = new MemoryPipe(1000, 10);
    private RollingFileSink sink;
    private TestContexts ctx;

    @AfterEach
    void stop() {
        FailingSerializerFactory.FAIL.set(false);
        if (sink != null) {
            sink.stop();
        }
    }

    private void start(Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(Map.of("type", "file_roll", "channel", "c1",
                "sink.directory", dir.toString()));
        keys.putAll(extra);
        ctx = TestContexts.of(ComponentKind.SINK, "k1", keys, clock);
        sink = (RollingFileSink) new RollingFileSinkFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        sink.setChannel(pipe.channel());
        sink.start();
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    private static List<Event> events(String... bodies) {
        List<Event> out = new ArrayList<>();
        for (String b : bodies) {
            out.add(Event.builder().header("k", "v-" + b).body(b).build());
        }
        return out;
    }

    @Test
    void aBatchIsInTheFileWhenTheTakeCommits() throws Exception {
        start(Map.of());
        pipe.put(events("a", "b", "c"));
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(pipe.size()).isZero();
        List<Path> files = files();
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("1700000000000-1");
        assertThat(Files.readString(files.get(0))).isEqualTo("a\nb\nc\n");
        assertThat(sink.process()).isEqualTo(Status.BACKOFF);
        CounterGroup c = ctx.counters().find("SINK", "k1");
        assertThat(c.get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(3);
        assertThat(c.get(SinkCounter.BATCH_EMPTY)).isEqualTo(1);
    }

    @Test
    void aNewFileIsStartedEveryRollInterval() throws Exception {
        start(Map.of("sink.rollInterval", "30", "sink.pathManager.prefix", "web-",
                "sink.pathManager.extension", "log"));
        pipe.put(events("first"));
        sink.process();
        clock.advanceMillis(29_999);
        pipe.put(events("second"));
        sink.process();
        clock.advanceMillis(1);
        pipe.put(events("third"));
        sink.process();
        List<Path> files = files();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("web-1700000000000-1.log", "web-1700000000000-2.log");
        assertThat(Files.readString(files.get(0))).isEqualTo("first\nsecond\n");
        assertThat(Files.readString(files.get(1))).isEqualTo("third\n");
    }

    @Test
    void rollIntervalZeroNeverRolls() throws Exception {
        start(Map.of("sink.rollInterval", "0"));
        for (int i = 0; i < 3; i++) {
            pipe.put(events("e" + i));
            sink.process();
            clock.advanceMillis(3_600_000);
        }
        assertThat(files()).hasSize(1);
        assertThat(Files.readString(files().get(0))).isEqualTo("e0\ne1\ne2\n");
    }

    @Test
    void headerAndTextWritesHeadersBeforeTheBody() throws Exception {
        start(Map.of("sink.serializer", "header_and_text"));
        pipe.put(events("x"));
        sink.process();
        assertThat(Files.readString(files().get(0))).isEqualTo("{k=v-x} x\n");
    }

    @Test
    void avroEventFilesAreReadableByAvrosOwnReaderAfterEachCommit() throws Exception {
        start(Map.of("sink.serializer", "AVRO_EVENT", "sink.serializer.compressionCodec", "deflate",
                "sink.batchSize", "2"));
        pipe.put(events("one", "two", "three"));
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(read(files().get(0))).containsExactly("{k=v-one} one", "{k=v-two} two");
        assertThat(sink.process()).isEqualTo(Status.READY);
        sink.stop();
        sink = null;
        File file = files().get(0).toFile();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file, new GenericDatumReader<>())) {
            assertThat(reader.getSchema().getFullName()).isEqualTo("Event");
            assertThat(reader.getMetaString("avro.codec")).isEqualTo("deflate");
        }
        assertThat(read(files().get(0))).containsExactly("{k=v-one} one", "{k=v-two} two", "{k=v-three} three");
    }

    private static List<String> read(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            for (GenericRecord r : reader) {
                ByteBuffer body = (ByteBuffer) r.get("body");
                byte[] bytes = new byte[body.remaining()];
                body.get(bytes);
                Map<?, ?> headers = (Map<?, ?>) r.get("headers");
                out.add(headers.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", "{", "}")) + " " + new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void aWriteFailureRollsTheTakeBackAndTheEventsAreWrittenAfterRecovery() throws Exception {
        start(Map.of("sink.serializer", FailingSerializerFactory.class.getName()));
        pipe.put(events("a", "b"));
        FailingSerializerFactory.FAIL.set(true);
        assertThatThrownBy(() -> sink.process()).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("a1.sinks.k1").hasMessageContaining("No space left on device");
        assertThat(pipe.size()).isEqualTo(2);
        CounterGroup c = ctx.counters().find("SINK", "k1");
        assertThat(c.get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(1);
        FailingSerializerFactory.FAIL.set(false);
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(pipe.size()).isZero();
        List<Path> files = files();
        assertThat(files).hasSize(2);
        assertThat(Files.readString(files.get(1))).isEqualTo("a\nb\n");
    }

    @Test
    void badSettingsAreAllReported() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        TestContexts bad = TestContexts.of(ComponentKind.SINK, "k1", Map.of("type", "file_roll",
                "sink.directory", notADir.toString(), "sink.rollInterval", "-1", "sink.serializer", "csv",
                "sink.batchSize", "0"));
        assertThat(new RollingFileSinkFactory().create(bad.context())).isNull();
        assertThat(bad.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "a1.sinks.k1.sink.directory", "a1.sinks.k1.sink.rollInterval", "a1.sinks.k1.sink.serializer",
                "a1.sinks.k1.sink.batchSize");

        TestContexts missing = TestContexts.of(ComponentKind.SINK, "k1", Map.of("type", "file_roll",
                "sink.serializer", "avro_event", "sink.serializer.compressionCodec", "lz77"));
        assertThat(new RollingFileSinkFactory().create(missing.context())).isNull();
        assertThat(missing.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "a1.sinks.k1.sink.directory", "a1.sinks.k1.sink.serializer.compressionCodec");
    }
}
