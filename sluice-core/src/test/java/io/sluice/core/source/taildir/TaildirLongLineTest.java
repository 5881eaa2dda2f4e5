package io.sluice.core.source.taildir;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.source.support.RejectedInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code TAILDIR}'s {@code maxLineLength} on real files: a longer line goes to the dead-letter
 * channel (its first {@code maxLineLength} bytes, the rest skipped without being held) or, without
 * one, is split into events of that length; the position passes a long line only with the batch
 * that holds its letter or its pieces.
 */
class TaildirLongLineTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private final List<TaildirSource> started = new ArrayList<>();
    private TestContexts ctx;

    @AfterEach
    void stopAll() {
        for (TaildirSource s : started) {
            s.stop();
        }
    }

    private Path log() throws IOException {
        return Files.createDirectories(dir.resolve("logs")).resolve("app.log");
    }

    private TaildirSource start(MemoryPipe pipe, MemoryPipe dlq, Map<String, String> keys) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("type", "TAILDIR", "filegroups", "f1",
                "filegroups.f1", log().getParent() + "/app\\.log", "positionFile",
                dir.resolve("pos/taildir_position.json").toString(), "batchSize", "10"));
        all.putAll(keys);
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", all, Clock.systemUTC());
        TaildirSource source = (TaildirSource) new TaildirSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        if (dlq != null) {
            source.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1", Clock.systemUTC()));
        }
        source.start();
        started.add(source);
        return source;
    }

    private void stop(TaildirSource source) {
        source.stop();
        started.remove(source);
    }

    private static void pollUntilIdle(TaildirSource source) {
        for (int i = 0; i < 1000 && source.process() == Status.READY; i++) {
            // read until nothing is left
        }
    }

    private CounterGroup counters() {
        return ctx.counters().find("SOURCE", "r1");
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void append(Path file, String text) throws IOException {
        append(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static List<String> bodies(List<Event> events) {
        return events.stream().map(Event::bodyAsString).toList();
    }

    @Test
    void aFiveMebibyteLineGoesToTheDeadLetterChannelWithItsFirstMaxLineLengthBytes() throws IOException {
        Path log = log();
        append(log, "before\n");
        append(log, filled(5 * MIB + 7, 'x'));
        append(log, "\nafter\n");
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        MemoryPipe dlq = new MemoryPipe(10, 10);
        TaildirSource source = start(pipe, dlq, Map.of());
        pollUntilIdle(source);

        assertThat(bodies(pipe.drain())).containsExactly("before", "after");
        List<Event> letters = dlq.drain();
        assertThat(letters).hasSize(1);
        Event letter = letters.get(0);
        assertThat(letter.body()).isEqualTo(filled(MIB, 'x'));
        assertThat(letter.header(DeadLetters.ERROR)).contains("maxLineLength = 1048576").contains("byte offset 7")
                .contains(log.toString());
        assertThat(letter.header(DeadLetters.COMPONENT)).isEqualTo("a1.sources.r1");
        assertThat(counters().get("EventReadFail")).isEqualTo(1);
        assertThat(counters().get(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(1);
        assertThat(counters().get(TaildirSource.EVENT_SPLIT)).isZero();
        assertThat(counters().get("EventAcceptedCount")).isEqualTo(2);
        stop(source);
        assertThat(Files.readString(dir.resolve("pos/taildir_position.json")))
                .contains("\"pos\":" + Files.size(log));
    }

    @Test
    void withoutADeadLetterChannelAFiveMebibyteLineIsSplitIntoEventsOfMaxLineLength() throws IOException {
        Path log = log();
        append(log, "before\n");
        append(log, filled(5 * MIB + 3, 'x'));
        append(log, "\r\nafter\n");
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, null, Map.of());
        pollUntilIdle(source);

        List<Event> got = pipe.drain();
        assertThat(got).hasSize(8);
        assertThat(got.get(0).bodyAsString()).isEqualTo("before");
        for (int i = 1; i <= 5; i++) {
            assertThat(got.get(i).body()).as("piece %d", i).isEqualTo(filled(MIB, 'x'));
        }
        assertThat(got.get(6).bodyAsString()).isEqualTo("xxx");
        assertThat(got.get(7).bodyAsString()).isEqualTo("after");
        assertThat(counters().get(TaildirSource.EVENT_SPLIT)).isEqualTo(1);
        assertThat(counters().get("EventReadFail")).isZero();
    }

    @Test
    void aLineOfExactlyTheLimitIsOneEventAndOneByteMoreIsTooLong() throws IOException {
        Path log = log();
        append(log, "0123456789\n0123456789\r\n0123456789A\n");
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        MemoryPipe dlq = new MemoryPipe(10, 10);
        TaildirSource source = start(pipe, dlq, Map.of("maxLineLength", "10"));
        pollUntilIdle(source);
        assertThat(bodies(pipe.drain())).containsExactly("0123456789", "0123456789");
        assertThat(bodies(dlq.drain())).containsExactly("0123456789");

        // a line of the limit whose \r is written first and its \n only later is not too long either
        append(log, "abcdefghij\r");
        pollUntilIdle(source);
        assertThat(pipe.drain()).isEmpty();
        append(log, "\n");
        pollUntilIdle(source);
        assertThat(bodies(pipe.drain())).containsExactly("abcdefghij");
        assertThat(dlq.drain()).isEmpty();
        assertThat(counters().get("EventReadFail")).isEqualTo(1);
    }

    @Test
    void aLineGrowingAcrossManyPollsIsSkippedWithoutBufferingItAndItsPositionWaitsForItsEnd() throws IOException {
        Path log = log();
        append(log, "first\n");
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        MemoryPipe dlq = new MemoryPipe(10, 10);
        TaildirSource source = start(pipe, dlq, Map.of("maxLineLength", "1000"));
        pollUntilIdle(source);
        assertThat(bodies(pipe.drain())).containsExactly("first");
        Path positions = dir.resolve("pos/taildir_position.json");
        for (int i = 0; i < 40; i++) {
            append(log, filled(100_000, (char) ('a' + i % 26)));
            pollUntilIdle(source);
            assertThat(dlq.drain()).as("no letter before the line ends (poll %d)", i).isEmpty();
            assertThat(pipe.drain()).isEmpty();
        }
        stop(source);
        assertThat(Files.readString(positions)).as("the position stays at the long line's start").contains("\"pos\":6");

        source = start(pipe, dlq, Map.of("maxLineLength", "1000"));
        append(log, "\nnext\n");
        pollUntilIdle(source);
        assertThat(bodies(pipe.drain())).containsExactly("next");
        List<Event> letters = dlq.drain();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).body()).isEqualTo(filled(1000, 'a'));
        assertThat(letters.get(0).header(DeadLetters.ERROR)).contains("byte offset 6");
        stop(source);
        assertThat(Files.readString(positions)).contains("\"pos\":" + Files.size(log));
    }

    @Test
    void aStopInTheMiddleOfSkippingResumesTheSkipAndKeepsOneLetter() throws IOException {
        Path log = log();
        append(log, "one\n");
        append(log, filled(3000, 'L'));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        MemoryPipe dlq = new MemoryPipe(10, 10);
        TaildirSource source = start(pipe, dlq, Map.of("maxLineLength", "1000"));
        pollUntilIdle(source);
        assertThat(bodies(pipe.drain())).containsExactly("one");
        assertThat(dlq.drain()).isEmpty();
        stop(source);

        append(log, filled(2000, 'M'));
        source = start(pipe, dlq, Map.of("maxLineLength", "1000"));
        pollUntilIdle(source);
        assertThat(pipe.drain()).as("nothing of the skipped line is delivered").isEmpty();
        append(log, "end-of-long\ntwo\n");
        pollUntilIdle(source);
        assertThat(bodies(pipe.drain())).containsExactly("two");
        List<Event> letters = dlq.drain();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).body()).isEqualTo(filled(1000, 'L'));
        assertThat(letters.get(0).header(DeadLetters.ERROR)).contains("byte offset 4");
    }

    @Test
    void aDeadLetterChannelThatRefusesHoldsTheLineUntilItTakesIt() throws IOException {
        Path log = log();
        append(log, "a\n");
        append(log, filled(50, 'z'));
        append(log, "\nb\n");
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        MemoryPipe dlq = new MemoryPipe(1, 10);
        dlq.processor().processEvent(Event.of(Map.of(), new byte[] {1}));
        TaildirSource source = start(pipe, dlq, Map.of("maxLineLength", "20"));
        assertThat(source.process()).isEqualTo(Status.BACKOFF);
        assertThat(pipe.drain()).as("the batch holding the refused letter is not committed").isEmpty();
        assertThat(counters().get(RejectedInput.DEAD_LETTER_WRITE_FAIL)).isEqualTo(1);
        assertThat(dlq.drain()).hasSize(1);
        pollUntilIdle(source);
        assertThat(bodies(pipe.drain())).containsExactly("a", "b");
        assertThat(bodies(dlq.drain())).containsExactly("z".repeat(20));
    }

    /** The read buffer never grows past the limit, however long the line, with or without letters. */
    @Test
    void theReadBufferStaysWithinTheLimitWhileALongLineIsRead() throws IOException {
        Path log = log();
        append(log, filled(200_000, 'q'));
        append(log, "\nok\n");
        for (boolean letters : new boolean[] {true, false}) {
            try (TailedFile f = new TailedFile(log, 1, group(), 0, 0)) {
                ReadBuffer buffer = new ReadBuffer(64);
                LineLimit limit = new LineLimit(5000, letters, new LongAdder());
                List<Event> out = new ArrayList<>();
                while (f.read(7, out, null, false, buffer, limit) > 0) {
                    assertThat(buffer.bytes.length).isLessThanOrEqualTo(5002);
                }
                assertThat(buffer.bytes.length).isLessThanOrEqualTo(5002);
                if (letters) {
                    assertThat(bodies(out)).containsExactly("ok");
                    assertThat(limit.letters()).hasSize(1);
                } else {
                    assertThat(out).hasSize(41);
                    assertThat(out.get(40).bodyAsString()).isEqualTo("ok");
                }
            }
        }
    }

    private FileGroup group() throws IOException {
        return new FileGroup("f1", log().getParent(), Pattern.compile("app\\.log"), Map.of(), true);
    }
}
