package io.sluice.core.interceptor;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ConfigProblem;
import io.sluice.core.iotest.TestContexts;
import io.sluice.testing.TestClock;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InterceptorsTest {
    private final TestClock clock = new TestClock(Instant.ofEpochMilli(1_234_567L));
    private TestContexts ctx;

    private Interceptor build(ComponentFactory<Interceptor> factory, Map<String, String> keys) {
        ctx = TestContexts.of(ComponentKind.INTERCEPTOR, "i1", keys, clock);
        Interceptor i = factory.create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        assertThat(i).isNotNull();
        return i;
    }

    private List<ConfigProblem> problems(ComponentFactory<Interceptor> factory, Map<String, String> keys) {
        TestContexts c = TestContexts.of(ComponentKind.INTERCEPTOR, "i1", keys, clock);
        assertThat(factory.create(c.context())).isNull();
        return c.problems();
    }

    private static Event event(String body, String... headers) {
        Event.Builder b = Event.builder().body(body);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    @Test
    void timestampSetsTheClocksTimeAndCanPreserveAnExistingOne() {
        Interceptor overwrite = build(new TimestampInterceptor.Factory(), Map.of());
        assertThat(overwrite.intercept(event("x", "timestamp", "5")).header("timestamp")).isEqualTo("1234567");
        Interceptor preserve = build(new TimestampInterceptor.Factory(), Map.of("preserveExisting", "true",
                "headerName", "ts"));
        assertThat(preserve.intercept(event("x", "ts", "5")).header("ts")).isEqualTo("5");
        assertThat(preserve.intercept(event("x")).header("ts")).isEqualTo("1234567");
    }

    @Test
    void aBatchIsStampedWithTheTimeItPassesThroughKeepingOtherHeadersAndExistingStamps() {
        Interceptor preserve = build(new TimestampInterceptor.Factory(), Map.of("preserveExisting", "true"));
        List<Event> out = preserve.intercept(List.of(event("a"), event("b", "timestamp", "5", "k", "v"),
                event("c", "k", "v")));
        assertThat(out).extracting(e -> e.header("timestamp")).containsExactly("1234567", "5", "1234567");
        assertThat(out.get(2).headers()).containsExactly(Map.entry("k", "v"), Map.entry("timestamp", "1234567"));
        assertThat(out.get(0).bodyAsString()).isEqualTo("a");
        clock.advanceMillis(3);
        assertThat(preserve.intercept(List.of(event("d"))).get(0).header("timestamp")).isEqualTo("1234570");
        assertThat(preserve.intercept(event("e")).header("timestamp")).isEqualTo("1234570");
    }

    @Test
    void hostWritesThisMachinesAddressOrName() throws Exception {
        Interceptor ip = build(new HostInterceptor.Factory(), Map.of("hostHeader", "origin"));
        assertThat(ip.intercept(event("x")).header("origin")).isEqualTo(InetAddress.getLocalHost().getHostAddress());
        Interceptor name = build(new HostInterceptor.Factory(), Map.of("useIP", "false"));
        assertThat(name.intercept(event("x")).header("host"))
                .isEqualTo(InetAddress.getLocalHost().getCanonicalHostName());
        Interceptor preserve = build(new HostInterceptor.Factory(), Map.of("preserveExisting", "true"));
        assertThat(preserve.intercept(event("x", "host", "elsewhere")).header("host")).isEqualTo("elsewhere");
        assertThat(name.intercept(event("x", "host", "elsewhere")).header("host")).isNotEqualTo("elsewhere");
    }

    @Test
    void staticPutsTheConfiguredHeaderAndPreservesByDefault() {
        Interceptor i = build(new StaticInterceptor.Factory(), Map.of("key", "datacenter", "value", "NYC_01"));
        assertThat(i.intercept(event("x")).headers()).containsEntry("datacenter", "NYC_01");
        assertThat(i.intercept(event("x", "datacenter", "SFO")).header("datacenter")).isEqualTo("SFO");
        Interceptor overwrite = build(new StaticInterceptor.Factory(), Map.of("key", "datacenter", "value", "NYC_01",
                "preserveExisting", "false"));
        assertThat(overwrite.intercept(event("x", "datacenter", "SFO")).header("datacenter")).isEqualTo("NYC_01");
    }

    @Test
    void removeHeaderRemovesByNameListAndPattern() {
        Interceptor i = build(new RemoveHeaderInterceptor.Factory(), Map.of("withName", "a", "fromList", "b , c",
                "matching", "tmp-.*"));
        Event out = i.intercept(event("body", "a", "1", "b", "2", "c", "3", "tmp-x", "4", "keep", "5", "xtmp-y", "6"));
        assertThat(out.headers()).containsOnlyKeys("keep", "xtmp-y");
        assertThat(out.bodyAsString()).isEqualTo("body");
        Interceptor custom = build(new RemoveHeaderInterceptor.Factory(), Map.of("fromList", "b;c",
                "fromListSeparator", ";"));
        assertThat(custom.intercept(event("x", "b", "1", "c", "2", "d", "3")).headers()).containsOnlyKeys("d");
    }

    @Test
    void searchReplaceRewritesTheBodyWithGroups() {
        Interceptor i = build(new SearchReplaceInterceptor.Factory(), Map.of("searchPattern", "(\\d{3})-(\\d{4})",
                "replaceString", "$2-$1"));
        assertThat(i.intercept(event("call 555-1234 or 555-9999", "h", "v")).bodyAsString())
                .isEqualTo("call 1234-555 or 9999-555");
        Interceptor delete = build(new SearchReplaceInterceptor.Factory(), Map.of("searchPattern", "^DEBUG\\s+",
                "replaceString", ""));
        Event out = delete.intercept(event("DEBUG started", "h", "v"));
        assertThat(out.bodyAsString()).isEqualTo("started");
        assertThat(out.headers()).containsEntry("h", "v");
    }

    @Test
    void regexFilterKeepsOrExcludesMatches() {
        Interceptor keep = build(new RegexFilterInterceptor.Factory(), Map.of("regex", "ERROR"));
        assertThat(keep.intercept(List.of(event("an ERROR here"), event("fine"), event("ERROR")))).extracting(
                Event::bodyAsString).containsExactly("an ERROR here", "ERROR");
        Interceptor exclude = build(new RegexFilterInterceptor.Factory(), Map.of("regex", "^DEBUG",
                "excludeEvents", "true"));
        assertThat(exclude.intercept(List.of(event("DEBUG x"), event("INFO y")))).extracting(Event::bodyAsString)
                .containsExactly("INFO y");
        Interceptor all = build(new RegexFilterInterceptor.Factory(), Map.of());
        Event empty = event("", "h", "v");
        assertThat(all.intercept(empty)).as("an empty body passes the default regex unchanged").isSameAs(empty);
        assertThat(all.intercept(List.of(event("DEBUG x"), empty, event("INFO y")))).extracting(Event::bodyAsString)
                .containsExactly("DEBUG x", "", "INFO y");
    }

    @Test
    void regexExtractorTurnsGroupsIntoHeadersThroughSerializers() {
        Interceptor i = build(new RegexExtractorInterceptor.Factory(), Map.of(
                "regex", "^(\\d\\d\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d) (\\w+) (\\w+)",
                "serializers", "s1 s2 s3",
                "serializers.s1.type", "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer",
                "serializers.s1.name", "timestamp",
                "serializers.s1.pattern", "yyyy-MM-dd HH:mm",
                "serializers.s2.name", "level",
                "serializers.s3.type", "org.apache.flume.interceptor.RegexExtractorInterceptorPassThroughSerializer",
                "serializers.s3.name", "component"));
        Event out = i.intercept(event("2012-10-17 14:34 WARN db connection slow"));
        long expected = LocalDateTime.of(2012, 10, 17, 14, 34).atZone(ZoneId.systemDefault()).toInstant()
                .toEpochMilli();
        assertThat(out.headers()).containsEntry("timestamp", Long.toString(expected)).containsEntry("level", "WARN")
                .containsEntry("component", "db");
        assertThat(i.intercept(event("no match")).headers()).isEmpty();
    }

    @Test
    void uuidAddsAnIdAndKeepsAnExistingOneByDefault() {
        Interceptor i = build(new UuidInterceptor.Factory(), Map.of());
        String id = i.intercept(event("x")).header("id");
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(i.intercept(event("x")).header("id")).isNotEqualTo(id);
        assertThat(i.intercept(event("x", "id", "mine")).header("id")).isEqualTo("mine");
        Interceptor prefixed = build(new UuidInterceptor.Factory(), Map.of("headerName", "eventId",
                "prefix", "web1-", "preserveExisting", "false"));
        assertThat(prefixed.intercept(event("x", "eventId", "old")).header("eventId")).startsWith("web1-")
                .hasSize("web1-".length() + 36);
        assertThat(new UuidInterceptor.Factory().otherNames())
                .containsExactly("org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder");
    }

    @Test
    void badRegularExpressionsAreProblemsThatSayWhere() {
        List<ConfigProblem> filter = problems(new RegexFilterInterceptor.Factory(), Map.of("regex", "ab(c"));
        assertThat(filter).hasSize(1);
        assertThat(filter.get(0).key()).isEqualTo("a1.sources.r1.interceptors.i1.regex");
        assertThat(filter.get(0).value()).isEqualTo("ab(c");
        assertThat(filter.get(0).rule()).contains("Unclosed group").contains("at index 4");

        List<ConfigProblem> search = problems(new SearchReplaceInterceptor.Factory(), Map.of("searchPattern", "a[b"));
        assertThat(search).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "a1.sources.r1.interceptors.i1.searchPattern", "a1.sources.r1.interceptors.i1.replaceString");

        List<ConfigProblem> extractor = problems(new RegexExtractorInterceptor.Factory(), Map.of("regex", "(x)",
                "serializers", "s1", "serializers.s1.type", "millis"));
        assertThat(extractor).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "a1.sources.r1.interceptors.i1.serializers.s1.name", "a1.sources.r1.interceptors.i1.serializers.s1.pattern");

        List<ConfigProblem> remove = problems(new RemoveHeaderInterceptor.Factory(), Map.of("matching", "*x"));
        assertThat(remove.get(0).rule()).contains("Dangling meta character '*'").contains("at index 0");
    }
}
