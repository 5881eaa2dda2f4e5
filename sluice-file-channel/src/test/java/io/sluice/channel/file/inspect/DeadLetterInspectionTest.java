package io.sluice.channel.file.inspect;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inspect --dead-letters}: the dead letters of a file channel, summarised and shown. */
class DeadLetterInspectionTest {
    @TempDir
    Path dir;

    @Test
    void deadLettersAreCountedByComponentAndReasonAndTheFirstOnesShown() throws Exception {
        FileChannelConfig cfg = FileChannelConfig.of(dir.resolve("cp"), List.of(dir.resolve("d")));
        FileChannel ch = new FileChannel("dlq", "[a1.channels.dlq]", cfg, new ChannelCounter("dlq"), Clock.systemUTC());
        ch.start();
        Clock at = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
        DeadLetters sink = new DeadLetters(ch, "a1.sinks.k1", at);
        DeadLetters source = new DeadLetters(ch, "a1.sources.r1", at);
        for (int i = 0; i < 3; i++) {
            sink.put(Event.of(Map.of("seq", "s" + i), ("poison " + i).getBytes()), "over the size limit");
        }
        source.put(Event.ofString("no <PRI>"), "not a syslog message");
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.put(Event.ofString("an ordinary event"));
            tx.commit();
        }
        ch.stop();

        DeadLetterSummary summary = new DeadLetterSummary(2);
        InspectionReport r = ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), false, summary);

        assertThat(summary.letters()).isEqualTo(4);
        assertThat(summary.others()).isEqualTo(1);
        assertThat(summary.byComponent()).containsExactly(
                Map.entry("a1.sinks.k1", Map.of("over the size limit", 3L)),
                Map.entry("a1.sources.r1", Map.of("not a syslog message", 1L)));
        String text = r.render();
        assertThat(text).contains("dead letters: 4 (and 1 other event(s) without sluice.error)\n"
                + "  a1.sinks.k1: 3\n"
                + "    3  over the size limit\n"
                + "  a1.sources.r1: 1\n"
                + "    1  not a syslog message\n"
                + "first 2 dead letter(s), oldest first:\n");
        assertThat(text).contains("    failed at: 2026-12-06T12:00:00Z\n    component: a1.sinks.k1\n"
                + "    error:     over the size limit\n    headers:   {seq=s0}\n"
                + "    body:      \"poison 0\" (8 bytes)");
        assertThat(text).contains("poison 1").doesNotContain("poison 2");
        assertThat(ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), false).render())
                .doesNotContain("dead letters");
    }
}
