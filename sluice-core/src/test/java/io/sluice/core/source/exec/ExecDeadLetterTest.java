package io.sluice.core.source.exec;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.source.support.RejectedInput;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exec source's lines over {@code maxLineLength} and lines that are not valid in its charset,
 * with and without a dead-letter channel, from a real {@code /bin/sh} child.
 */
class ExecDeadLetterTest {
    /** "short", 300 zeros, two bytes that are not UTF-8 then " bad", "after". */
    private static final String COMMAND = "printf 'short\\n%0300d\\n\\377\\376 bad\\nafter\\n' 0";

    private ExecSource source;
    private TestContexts ctx;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private void start(MemoryPipe pipe, MemoryPipe dlq, String command) {
        Map<String, String> keys = new HashMap<>(Map.of("type", "exec", "shell", "/bin/sh -c", "batchTimeout", "100",
                "maxLineLength", "100", "command", command));
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", keys);
        source = (ExecSource) new ExecSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        if (dlq != null) {
            source.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1", Clock.systemUTC()));
        }
        source.start();
    }

    private static List<Event> receive(MemoryPipe p, int n) {
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(p.drain());
            return got.size() >= n;
        });
        return got;
    }

    private long counter(String name) {
        return ctx.counters().find("SOURCE", "r1").get(name);
    }

    @Test
    void longAndUndecodableLinesGoToTheDeadLetterChannelWithTheirReason() {
        MemoryPipe pipe = new MemoryPipe(100, 10);
        MemoryPipe dlq = new MemoryPipe(100, 10);
        start(pipe, dlq, COMMAND);

        assertThat(receive(pipe, 2)).extracting(Event::bodyAsString).containsExactly("short", "after");
        List<Event> letters = receive(dlq, 2);
        assertThat(letters).hasSize(2);
        Event tooLong = letters.get(0);
        assertThat(tooLong.body()).hasSize(100).containsOnly((byte) '0');
        assertThat(tooLong.header(DeadLetters.ERROR)).isEqualTo("line longer than maxLineLength 100 bytes; its first"
                + " 100 bytes are kept, the rest is dropped");
        assertThat(tooLong.header(DeadLetters.COMPONENT)).isEqualTo("a1.sources.r1");
        Event undecodable = letters.get(1);
        assertThat(undecodable.body()).containsExactly(0xff, 0xfe, ' ', 'b', 'a', 'd');
        assertThat(undecodable.header(DeadLetters.ERROR)).startsWith("line of 6 bytes is not valid UTF-8: malformed"
                + " input of 1 byte(s) at byte 0");
        assertThat(pipe.drain()).as("nothing of the rejected lines reached the source's channel").isEmpty();
        assertThat(counter(SourceCounter.EVENT_READ_FAIL)).isEqualTo(2);
        assertThat(counter(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(2);
        assertThat(counter(SourceCounter.EVENT_ACCEPTED)).isEqualTo(2);
    }

    @Test
    void withoutADeadLetterChannelLongLinesAreSplitAndUndecodableOnesReplaced() {
        MemoryPipe pipe = new MemoryPipe(100, 10);
        start(pipe, null, COMMAND);

        List<String> got = receive(pipe, 6).stream().map(Event::bodyAsString).toList();
        assertThat(got).containsExactly("short", "0".repeat(100), "0".repeat(100), "0".repeat(100),
                "\uFFFD\uFFFD bad", "after");
        assertThat(counter(ExecSource.EVENT_SPLIT)).isEqualTo(1);
        assertThat(counter(SourceCounter.EVENT_READ_FAIL)).isZero();
    }

    @Test
    void linesEndAtNewlineCarriageReturnOrBothAndALastLineNeedsNoEnd() {
        MemoryPipe pipe = new MemoryPipe(100, 10);
        start(pipe, null, "printf 'a\\r\\nb\\rc\\n\\nd%0100de' 0");

        List<String> got = receive(pipe, 6).stream().map(Event::bodyAsString).toList();
        assertThat(got).containsExactly("a", "b", "c", "", "d" + "0".repeat(99), "0e");
    }
}
