package io.sluice.core.source.syslog;

import io.sluice.api.Event;
import io.sluice.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogParserTest {
    private static final Clock DEC_2026 = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    private static Event parse(KeepFields keep, Clock clock, String text) {
        return new SyslogParser(keep, clock, ZoneOffset.UTC).parse(text.getBytes(StandardCharsets.UTF_8), false,
                StandardCharsets.UTF_8, Map.of());
    }

    @Test
    void rfc5424HeadersAreParsedAndTheRestIsTheBody() {
        Event e = parse(KeepFields.NONE, DEC_2026, "<34>1 2026-12-06T11:30:17.123456+01:00 myhost su 77 ID47 - 'su root' failed");
        assertThat(e.headers()).containsEntry("Facility", "4").containsEntry("Severity", "2")
                .containsEntry("priority", "34").containsEntry("version", "1")
                .containsEntry("timestamp", Long.toString(Instant.parse("2026-12-06T10:30:17.123Z").toEpochMilli()))
                .containsEntry("host", "myhost").doesNotContainKey("flume.syslog.status");
        assertThat(e.bodyAsString()).isEqualTo("su 77 ID47 - 'su root' failed");
    }

    @Test
    void rfc5424NilTimestampAndHostGiveNoHeaders() {
        Event e = parse(KeepFields.NONE, DEC_2026, "<165>1 - - app - - - text");
        assertThat(e.headers()).containsEntry("Facility", "20").containsEntry("Severity", "5")
                .doesNotContainKey("timestamp").doesNotContainKey("host");
        assertThat(e.bodyAsString()).isEqualTo("app - - - text");
    }

    @Test
    void rfc3164TimestampsGetTheYearThatPutsThemNearNow() {
        Event e = parse(KeepFields.NONE, DEC_2026, "<13>Dec  6 11:30:00 host1 sshd[42]: accepted");
        assertThat(e.headers()).containsEntry("Facility", "1").containsEntry("Severity", "5")
                .containsEntry("host", "host1").doesNotContainKey("version")
                .containsEntry("timestamp", Long.toString(Instant.parse("2026-12-06T11:30:00Z").toEpochMilli()));
        assertThat(e.bodyAsString()).isEqualTo("sshd[42]: accepted");
        Clock newYear = Clock.fixed(Instant.parse("2027-01-02T00:00:00Z"), ZoneOffset.UTC);
        assertThat(parse(KeepFields.NONE, newYear, "<13>Dec 31 23:59:59 h late").header("timestamp"))
                .isEqualTo(Long.toString(Instant.parse("2026-12-31T23:59:59Z").toEpochMilli()));
        Clock endOfYear = Clock.fixed(Instant.parse("2026-12-31T23:00:00Z"), ZoneOffset.UTC);
        assertThat(parse(KeepFields.NONE, endOfYear, "<13>Jan  1 00:10:00 h early").header("timestamp"))
                .isEqualTo(Long.toString(Instant.parse("2027-01-01T00:10:00Z").toEpochMilli()));
    }

    @Test
    void aMessageWithoutPriorityIsInvalidAndKeptWhole() {
        Event e = parse(KeepFields.NONE, DEC_2026, "just some text");
        assertThat(e.headers()).containsEntry("Facility", "0").containsEntry("Severity", "0")
                .containsEntry("flume.syslog.status", "Invalid");
        assertThat(e.bodyAsString()).isEqualTo("just some text");
        assertThat(parse(KeepFields.NONE, DEC_2026, "<1x3>oops").header("flume.syslog.status")).isEqualTo("Invalid");
    }

    @Test
    void aValidPriorityWithAnUnknownHeaderKeepsTheWholeMessage() {
        Event e = parse(KeepFields.NONE, DEC_2026, "<14>no header here");
        assertThat(e.headers()).containsEntry("Facility", "1").containsEntry("Severity", "6")
                .doesNotContainKey("host").doesNotContainKey("flume.syslog.status");
        assertThat(e.bodyAsString()).isEqualTo("<14>no header here");
    }

    @Test
    void keepFieldsPutsTheNamedFieldsBackInFront() {
        String msg = "<13>1 2026-12-06T11:30:17Z h1 app - - - hi";
        assertThat(parse(KeepFields.parse("true"), DEC_2026, msg).bodyAsString()).isEqualTo(msg);
        assertThat(parse(KeepFields.parse("all"), DEC_2026, msg).bodyAsString()).isEqualTo(msg);
        assertThat(parse(KeepFields.parse("none"), DEC_2026, msg).bodyAsString()).isEqualTo("app - - - hi");
        assertThat(parse(KeepFields.parse("priority hostname"), DEC_2026, msg).bodyAsString())
                .isEqualTo("<13>h1 app - - - hi");
        assertThat(parse(KeepFields.parse("version timestamp"), DEC_2026, msg).bodyAsString())
                .isEqualTo("1 2026-12-06T11:30:17Z app - - - hi");
    }

    @Test
    void aCutMessageIsMarkedIncomplete() {
        Event e = new SyslogParser(KeepFields.NONE, DEC_2026, ZoneOffset.UTC).parse(
                "<13>Dec  6 11:30:00 h part".getBytes(StandardCharsets.UTF_8), true, StandardCharsets.UTF_8,
                Map.of("client", "127.0.0.1"));
        assertThat(e.headers()).containsEntry("flume.syslog.status", "Incomplete").containsEntry("client", "127.0.0.1");
    }

    @Test
    void theYearOfAStampSeenBeforeFollowsTheClock() {
        TestClock clock = new TestClock(Instant.parse("2026-12-06T12:00:00Z"));
        SyslogParser parser = new SyslogParser(KeepFields.NONE, clock, ZoneOffset.UTC);
        byte[] msg = "<13>Jan 15 00:00:00 h text".getBytes(StandardCharsets.US_ASCII);
        // eleven months after 2026-01-15 is still ahead of December 6th: this January
        assertThat(parser.parse(msg, false, StandardCharsets.UTF_8, Map.of()).header("timestamp"))
                .isEqualTo(Long.toString(Instant.parse("2026-01-15T00:00:00Z").toEpochMilli()));
        clock.advance(Duration.ofMillis(SyslogParser.STAMP_REUSE_MILLIS - 1));
        assertThat(parser.parse(msg, false, StandardCharsets.UTF_8, Map.of()).header("timestamp"))
                .isEqualTo(Long.toString(Instant.parse("2026-01-15T00:00:00Z").toEpochMilli()));
        // two weeks later the same text means the coming January
        clock.advance(Duration.ofDays(14));
        assertThat(parser.parse(msg, false, StandardCharsets.UTF_8, Map.of()).header("timestamp"))
                .isEqualTo(Long.toString(Instant.parse("2027-01-15T00:00:00Z").toEpochMilli()));
        // and another stamp text is never answered from the last one's result
        assertThat(parser.parse("<13>Jan 16 00:00:00 h text".getBytes(StandardCharsets.US_ASCII), false,
                StandardCharsets.UTF_8, Map.of()).header("timestamp"))
                .isEqualTo(Long.toString(Instant.parse("2027-01-16T00:00:00Z").toEpochMilli()));
    }

    @Test
    void aBodyOutsideAsciiIsDecodedAndEncodedAgain() {
        byte[] invalid = {'<', '1', '3', '>', 'D', 'e', 'c', ' ', ' ', '6', ' ', '1', '1', ':', '3', '0', ':', '0', '0',
            ' ', 'h', ' ', 'a', (byte) 0xff, 'b'};
        Event bad = new SyslogParser(KeepFields.NONE, DEC_2026, ZoneOffset.UTC).parse(invalid, false,
                StandardCharsets.UTF_8, Map.of());
        assertThat(bad.bodyAsString()).isEqualTo("a\uFFFDb");
        assertThat(parse(KeepFields.NONE, DEC_2026, "<13>Dec  6 11:30:00 h1 héllo wörld").bodyAsString())
                .isEqualTo("héllo wörld");
        assertThat(parse(KeepFields.NONE, DEC_2026, "<013>Dec  6 11:30:00 h1 x").header("priority")).isEqualTo("013");
    }
}
