package io.sluice.core.iotest;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.core.interceptor.RegexExtractorInterceptor;
import io.sluice.core.interceptor.RegexFilterInterceptor;
import io.sluice.core.interceptor.RemoveHeaderInterceptor;
import io.sluice.core.interceptor.SearchReplaceInterceptor;
import io.sluice.core.interceptor.StaticInterceptor;
import io.sluice.core.interceptor.TimestampInterceptor;
import io.sluice.core.serialization.EventSerializer;
import io.sluice.core.serialization.EventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flume.Context;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.interceptor.Interceptor.Builder;
import org.apache.flume.interceptor.RegexFilteringInterceptor;
import org.apache.flume.interceptor.SearchAndReplaceInterceptor;
import org.apache.flume.serialization.EventSerializerFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Sluice's interceptors and serializers and Apache Flume 1.11's own classes (the real jars)
 * on the same configuration and events, and expects the same results.
 */
// Apache Flume's Event, Interceptor and interceptor classes share their simple names with Sluice's.
@SuppressWarnings("checkstyle:InlineFullyQualifiedName")
class FlumeParityTest {
    private static final List<Event> EVENTS = List.of(
            Event.builder().body("2012-10-17 14:34 WARN db connection slow 555-1234").build(),
            Event.builder().header("datacenter", "SFO").body("DEBUG noise 555-0000").build(),
            Event.builder().header("tmp-x", "1").body("INFO ok").build(),
            Event.builder().header("timestamp", "42").body("").build(),
            Event.builder().header("a", "b").body("ünïcödé ERROR 12:00").build());

    private static List<Event> sluice(ComponentFactory<Interceptor> factory, Map<String, String> keys) {
        TestContexts ctx = TestContexts.of(ComponentKind.INTERCEPTOR, "i1", keys);
        Interceptor i = factory.create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        return i.intercept(EVENTS);
    }

    private static List<Event> flume(Builder builder, Map<String, String> keys) {
        builder.configure(new Context(keys));
        org.apache.flume.interceptor.Interceptor i = builder.build();
        i.initialize();
        List<org.apache.flume.Event> in = new ArrayList<>();
        for (Event e : EVENTS) {
            in.add(EventBuilder.withBody(e.body(), e.headers()));
        }
        List<Event> out = new ArrayList<>();
        for (org.apache.flume.Event e : i.intercept(in)) {
            out.add(Event.of(e.getHeaders(), e.getBody()));
        }
        return out;
    }

    private static void same(ComponentFactory<Interceptor> ours, Builder theirs, Map<String, String> keys) {
        assertThat(sluice(ours, keys)).as("%s with %s", ours.alias(), keys).isEqualTo(flume(theirs, keys));
    }

    @Test
    void staticMatchesFlume() {
        same(new StaticInterceptor.Factory(), new org.apache.flume.interceptor.StaticInterceptor.Builder(),
                Map.of("key", "datacenter", "value", "NYC_01"));
        same(new StaticInterceptor.Factory(), new org.apache.flume.interceptor.StaticInterceptor.Builder(),
                Map.of("key", "datacenter", "value", "NYC_01", "preserveExisting", "false"));
    }

    @Test
    void removeHeaderMatchesFlume() {
        same(new RemoveHeaderInterceptor.Factory(), new org.apache.flume.interceptor.RemoveHeaderInterceptor.Builder(),
                Map.of("withName", "a", "fromList", "datacenter, timestamp", "matching", "tmp-.*"));
    }

    @Test
    void searchReplaceMatchesFlume() {
        same(new SearchReplaceInterceptor.Factory(),
                new SearchAndReplaceInterceptor.Builder(),
                Map.of("searchPattern", "(\\d{3})-(\\d{4})", "replaceString", "$2/$1"));
        same(new SearchReplaceInterceptor.Factory(),
                new SearchAndReplaceInterceptor.Builder(),
                Map.of("searchPattern", "[üö]", "replaceString", "?", "charset", "UTF-8"));
    }

    @Test
    void regexFilterMatchesFlume() {
        same(new RegexFilterInterceptor.Factory(), new RegexFilteringInterceptor.Builder(),
                Map.of("regex", "WARN|ERROR"));
        same(new RegexFilterInterceptor.Factory(), new RegexFilteringInterceptor.Builder(),
                Map.of("regex", "^DEBUG", "excludeEvents", "true"));
    }

    @Test
    void regexExtractorMatchesFlumeIncludingTheMillisSerializer() {
        same(new RegexExtractorInterceptor.Factory(),
                new org.apache.flume.interceptor.RegexExtractorInterceptor.Builder(),
                Map.of("regex", "^(\\d\\d\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d) (\\w+) (\\w+)",
                        "serializers", "s1 s2 s3",
                        "serializers.s1.type",
                        "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer",
                        "serializers.s1.name", "timestamp",
                        "serializers.s1.pattern", "yyyy-MM-dd HH:mm",
                        "serializers.s2.name", "level",
                        "serializers.s3.name", "component"));
        same(new RegexExtractorInterceptor.Factory(),
                new org.apache.flume.interceptor.RegexExtractorInterceptor.Builder(),
                Map.of("regex", "(\\w+) (\\d+):(\\d+)", "serializers", "a b", "serializers.a.name", "word",
                        "serializers.b.name", "hour"));
    }

    @Test
    void timestampPreserveExistingMatchesFlume() {
        Map<String, String> keys = Map.of("preserveExisting", "true");
        List<Event> ours = sluice(new TimestampInterceptor.Factory(), keys);
        List<Event> theirs = flume(new org.apache.flume.interceptor.TimestampInterceptor.Builder(), keys);
        assertThat(ours.get(3).header("timestamp")).isEqualTo("42").isEqualTo(theirs.get(3).header("timestamp"));
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i).headers().keySet()).isEqualTo(theirs.get(i).headers().keySet());
            long a = Long.parseLong(ours.get(i).header("timestamp"));
            long b = Long.parseLong(theirs.get(i).header("timestamp"));
            assertThat(Math.abs(a - b)).isLessThan(60_000);
        }
    }

    private static byte[] write(String type, Map<String, String> keys, List<Event> events, boolean flumeSide)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (flumeSide) {
            org.apache.flume.serialization.EventSerializer s = EventSerializerFactory.getInstance(type,
                    new Context(keys), out);
            s.afterCreate();
            for (Event e : events) {
                s.write(EventBuilder.withBody(e.body(), e.headers()));
            }
            s.flush();
            s.beforeClose();
        } else {
            TestContexts ctx = TestContexts.of(ComponentKind.EVENT_SERIALIZER, "s", keys.isEmpty()
                    ? Map.of("type", type) : keys);
            EventSerializer s = EventSerializers.find(type).orElseThrow().create(ctx.context()).build(out);
            s.afterCreate();
            for (Event e : events) {
                s.write(e);
            }
            s.flush();
            s.beforeClose();
        }
        return out.toByteArray();
    }

    @Test
    void textSerializersWriteTheSameBytesAsFlume() throws Exception {
        // Single-header events: Flume keeps headers in a HashMap, so the order of several is its own.
        for (String type : List.of("TEXT", "HEADER_AND_TEXT")) {
            for (Map<String, String> keys : List.<Map<String, String>>of(Map.of(), Map.of("appendNewline", "false"))) {
                assertThat(new String(write(type, keys, EVENTS, false), StandardCharsets.UTF_8)).as("%s %s", type, keys)
                        .isEqualTo(new String(write(type, keys, EVENTS, true), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void avroEventFilesHaveFlumesSchemaAndRecords() throws Exception {
        List<String> ours = records(write("AVRO_EVENT", Map.of(), EVENTS, false));
        List<String> theirs = records(write("AVRO_EVENT", Map.of(), EVENTS, true));
        assertThat(ours).isEqualTo(theirs).hasSize(EVENTS.size() + 1);
    }

    private static List<String> records(byte[] file) throws Exception {
        List<String> out = new ArrayList<>();
        try (DataFileStream<GenericRecord> in = new DataFileStream<>(new ByteArrayInputStream(file),
                new GenericDatumReader<>())) {
            out.add(in.getSchema().toString());
            for (GenericRecord r : in) {
                out.add(r.toString());
            }
        }
        return out;
    }
}
