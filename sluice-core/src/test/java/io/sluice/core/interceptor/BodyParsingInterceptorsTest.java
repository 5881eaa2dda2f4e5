package io.sluice.core.interceptor;

import io.sluice.api.ChannelException;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The json, csv and xml interceptors, their onError modes and their counters. */
class BodyParsingInterceptorsTest {
    @TempDir
    Path dir;

    private final CounterGroup source = new CounterGroup("SOURCE", "r1");
    private final MemoryPipe dlq = new MemoryPipe(100, 10);

    private BodyParsingInterceptor build(ComponentFactory<Interceptor> factory, Map<String, String> keys) {
        TestContexts ctx = TestContexts.of(ComponentKind.INTERCEPTOR, "i1", keys);
        Interceptor i = factory.create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        BodyParsingInterceptor b = (BodyParsingInterceptor) i;
        b.countIn(source);
        b.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1.interceptors.i1", Clock.systemUTC()));
        return b;
    }

    private static List<ConfigProblem> problems(ComponentFactory<Interceptor> factory, Map<String, String> keys) {
        TestContexts c = TestContexts.of(ComponentKind.INTERCEPTOR, "i1", keys);
        assertThat(factory.create(c.context())).isNull();
        return c.problems();
    }

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void jsonCopiesValuesFoundByPointerIntoHeaders() {
        Interceptor json = build(new JsonInterceptor.Factory(), keys("headers.user", "/user/id",
                "headers.firstTag", "/tags/0", "headers.geo", "/geo", "headers.n", "/n", "headers.absent", "/nope",
                "headers.nothing", "/nil"));
        Event out = json.intercept(Event.builder().header("keep", "me").header("user", "old")
                .body("{\"user\":{\"id\":\"u-7\"},\"tags\":[\"a\",\"b\"],\"geo\":{\"lat\":1.5},\"n\":42,\"nil\":null}")
                .build());
        assertThat(out.headers()).containsEntry("keep", "me").containsEntry("user", "u-7")
                .containsEntry("firstTag", "a").containsEntry("geo", "{\"lat\":1.5}").containsEntry("n", "42")
                .doesNotContainKeys("absent", "nothing");
    }

    @Test
    void jsonOnErrorPassDropAndDeadLetterAreCountedInTheSourcesCounters() {
        Event bad = Event.ofString("{\"user\": ");
        Event good = Event.ofString("{\"user\":\"x\"}");
        Interceptor pass = build(new JsonInterceptor.Factory(), keys("headers.u", "/user"));
        assertThat(pass.intercept(List.of(bad, good))).containsExactly(bad, good.withHeaders(Map.of("u", "x")));
        Interceptor drop = build(new JsonInterceptor.Factory(), keys("headers.u", "/user", "onError", "drop"));
        assertThat(drop.intercept(List.of(bad, good))).hasSize(1);
        Interceptor dead = build(new JsonInterceptor.Factory(), keys("headers.u", "/user", "onError", "deadLetter"));
        assertThat(dead.intercept(List.of(good, bad, good))).hasSize(2);

        List<Event> letters = dlq.drain();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).bodyAsString()).isEqualTo("{\"user\": ");
        assertThat(letters.get(0).header(DeadLetters.ERROR)).startsWith("body is not JSON: ");
        assertThat(letters.get(0).header(DeadLetters.COMPONENT)).isEqualTo("a1.sources.r1.interceptors.i1");
        assertThat(source.get(BodyParsingInterceptor.PARSE_FAIL)).isEqualTo(3);
        assertThat(source.get(BodyParsingInterceptor.DROP_COUNT)).isEqualTo(1);
        assertThat(source.get(BodyParsingInterceptor.DEAD_LETTER_COUNT)).isEqualTo(1);
    }

    @Test
    void aFullDeadLetterChannelFailsTheSourcesBatchSoNothingIsLost() {
        MemoryPipe full = new MemoryPipe(1, 10);
        full.put(List.of(Event.ofString("x")));
        TestContexts ctx = TestContexts.of(ComponentKind.INTERCEPTOR, "i1", keys("headers.u", "/u",
                "onError", "deadLetter"));
        BodyParsingInterceptor json = (BodyParsingInterceptor) new JsonInterceptor.Factory().create(ctx.context());
        json.setDeadLetters(new DeadLetters(full.channel(), "a1.sources.r1.interceptors.i1", Clock.systemUTC()));
        assertThatThrownBy(() -> json.intercept(List.of(Event.ofString("not json"))))
                .isInstanceOf(ChannelException.class);
    }

    @Test
    void jsonRefusesABadPointerAndAnEmptyConfiguration() {
        assertThat(problems(new JsonInterceptor.Factory(), keys("headers.u", "user/id")))
                .extracting(ConfigProblem::key).containsExactly("a1.sources.r1.interceptors.i1.headers.u");
        assertThat(problems(new JsonInterceptor.Factory(), keys())).hasSize(1);
        TestContexts c = TestContexts.of(ComponentKind.INTERCEPTOR, "i1", keys("headers.u", "/u", "onError", "explode"));
        new JsonInterceptor.Factory().create(c.context());
        assertThat(c.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources.r1.interceptors.i1.onError");
        assertThat(c.problems().get(0).toString()).contains("pass").contains("drop").contains("deadLetter");
    }

    @Test
    void csvReadsRfc4180RecordsByColumnName() {
        Interceptor csv = build(new CsvInterceptor.Factory(), keys("columns", "time - host message"));
        Event out = csv.intercept(Event.ofString("2026-12-06,skip,\"web,1\",\"said \"\"hi\"\"\nthen left\"\r\n"));
        assertThat(out.headers()).containsExactly(Map.entry("time", "2026-12-06"), Map.entry("host", "web,1"),
                Map.entry("message", "said \"hi\"\nthen left"));
        Interceptor tsv = build(new CsvInterceptor.Factory(), keys("columns", "a b c", "delimiter", "\\t",
                "headers.origin", "b"));
        assertThat(tsv.intercept(Event.ofString("1\t2\t3")).headers()).containsExactly(Map.entry("origin", "2"));
        Interceptor semi = build(new CsvInterceptor.Factory(), keys("columns", "a b", "delimiter", ";"));
        assertThat(semi.intercept(Event.ofString(";\"\"")).headers()).containsExactly(Map.entry("a", ""),
                Map.entry("b", ""));
    }

    @Test
    void csvSendsBrokenRecordsToTheDeadLetterChannelWithTheReason() {
        Interceptor csv = build(new CsvInterceptor.Factory(), keys("columns", "a b", "onError", "deadLetter"));
        assertThat(csv.intercept(List.of(Event.ofString("1,2,3"), Event.ofString("\"open,2"),
                Event.ofString("x\"y,2"), Event.ofString("\"a\"b,2"), Event.ofString("1,2")))).hasSize(1);
        assertThat(dlq.drain()).extracting(e -> e.header(DeadLetters.ERROR)).containsExactly(
                "record has 3 field(s), expected 2 (columns = a b)",
                "quoted field starting at character 1 has no closing quote",
                "quote inside an unquoted field at character 2 (quote the whole field and write the quote as \"\")",
                "unexpected character 'b' after the closing quote at character 3 (a quote inside a quoted field is"
                        + " written \"\")");
    }

    @Test
    void csvRefusesABadDelimiterAndAnUnknownColumn() {
        assertThat(problems(new CsvInterceptor.Factory(), keys("columns", "a b", "delimiter", ";;")))
                .extracting(ConfigProblem::key).containsExactly("a1.sources.r1.interceptors.i1.delimiter");
        assertThat(problems(new CsvInterceptor.Factory(), keys("columns", "a b", "headers.h", "c")))
                .extracting(ConfigProblem::key).containsExactly("a1.sources.r1.interceptors.i1.headers.h");
        assertThat(problems(new CsvInterceptor.Factory(), keys())).extracting(ConfigProblem::key)
                .containsExactly("a1.sources.r1.interceptors.i1.columns");
    }

    @Test
    void xmlCopiesXPathValuesIntoHeaders() {
        Interceptor xml = build(new XmlInterceptor.Factory(), keys("headers.id", "/order/@id",
                "headers.name", "/order/customer/name", "headers.items", "count(/order/item)", "headers.none",
                "/order/missing"));
        Event out = xml.intercept(Event.ofString("<order id=\"o-1\"><customer><name>Ada</name></customer>"
                + "<item/><item/></order>"));
        assertThat(out.headers()).containsEntry("id", "o-1").containsEntry("name", "Ada").containsEntry("items", "2")
                .doesNotContainKey("none");
    }

    @Test
    @Timeout(60) // a parser that fetches the external DTD hangs on the server below, which never answers
    void xmlDoesNotResolveExternalEntitiesOrIncludes() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/evil.dtd";
            Interceptor xml = build(new XmlInterceptor.Factory(), keys("headers.text", "/r", "onError",
                    "deadLetter"));
            List<Event> out = xml.intercept(List.of(
                    Event.ofString("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secret.toUri()
                            + "\">]><r>&xxe;</r>"),
                    Event.ofString("<!DOCTYPE r [<!ENTITY % remote SYSTEM \"" + url + "\"> %remote;]><r>x</r>"),
                    Event.ofString("<!DOCTYPE r SYSTEM \"" + url + "\"><r>x</r>"),
                    Event.ofString("<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                            + "<r>&b;</r>"),
                    Event.ofString("<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                            + secret.toUri() + "\" parse=\"text\"/></r>")));
            // the four documents with a DOCTYPE are refused; the XInclude is not processed
            assertThat(out).hasSize(1);
            assertThat(out.get(0).header("text")).isEmpty();
            List<Event> letters = dlq.drain();
            assertThat(letters).hasSize(4);
            assertThat(letters).allSatisfy(e -> assertThat(e.header(DeadLetters.ERROR))
                    .startsWith("body is not well-formed XML: ").contains("DOCTYPE").doesNotContain("TOP-SECRET"));
            // nothing connected to the "attacker's" server: a connection would be waiting in its backlog
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void xmlRefusesABadXPath() {
        assertThat(problems(new XmlInterceptor.Factory(), keys("headers.h", "/order[")))
                .extracting(ConfigProblem::key).containsExactly("a1.sources.r1.interceptors.i1.headers.h");
    }
}
