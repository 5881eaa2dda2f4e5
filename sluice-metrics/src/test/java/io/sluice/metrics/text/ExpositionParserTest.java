package io.sluice.metrics.text;

import io.sluice.metrics.store.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpositionParserTest {
    private record S(String name, List<String> labels, ValueType type, double value, String text, long time) {
    }

    private static List<S> parse(String body, boolean om, List<ExpositionParser.Problem> problems) {
        List<S> out = new ArrayList<>();
        problems.addAll(ExpositionParser.parse(body, om,
                (n, l, t, v, s, ts) -> out.add(new S(n, Arrays.asList(l), t, v, s, ts))));
        return out;
    }

    @Test
    void readsThePrometheusTextFormat() {
        List<ExpositionParser.Problem> problems = new ArrayList<>();
        List<S> s = parse("""
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000

                msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
                metric_without_timestamp_and_labels 12.47
                something_weird{problem="division by zero"} +Inf -3982045
                http_request_duration_seconds_bucket{le="+Inf"} 144320
                """, false, problems);
        assertThat(problems).isEmpty();
        assertThat(s).hasSize(6);
        assertThat(s.get(0)).isEqualTo(new S("http_requests_total", List.of("method", "post", "code", "200"),
                ValueType.INTEGER, 1027, null, 1395066363000L));
        assertThat(s.get(2).labels()).containsExactly("path", "C:\\DIR\\FILE.TXT", "error",
                "Cannot find file:\n\"FILE.TXT\"");
        assertThat(s.get(2).type()).isEqualTo(ValueType.DOUBLE);
        assertThat(s.get(3).time()).isEqualTo(Long.MIN_VALUE);
        assertThat(s.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(4).time()).isEqualTo(-3982045L);
    }

    @Test
    void readsOpenMetricsWithSecondsExemplarsAndEof() {
        List<ExpositionParser.Problem> problems = new ArrayList<>();
        List<S> s = parse("""
                # TYPE foo counter
                # UNIT foo seconds
                foo_total{a="b"} 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
                foo_created 1520430000.123
                # EOF
                after_eof 1
                """, true, problems);
        assertThat(problems).isEmpty();
        assertThat(s).extracting(S::name).containsExactly("foo_total", "foo_created");
        assertThat(s.get(0).time()).isEqualTo(1520879607789L);
    }

    @Test
    void readsArtimonTypesAndRoundTripsThroughTheWriter() {
        SampleWriter w = new SampleWriter(256);
        w.write("up", new String[] {"dc", "jb"}, ValueType.BOOLEAN, 1, null, 5);
        w.write("version", new String[] {"q", "a\"b"}, ValueType.STRING, Double.NaN, "1.2 \"x\"", 6);
        w.write("temp", new String[0], ValueType.DOUBLE, 21.0, null, 7);
        w.write("count", new String[0], ValueType.INTEGER, 42, null, 8);
        List<ExpositionParser.Problem> problems = new ArrayList<>();
        List<S> s = parse(w.toString(), false, problems);
        assertThat(problems).isEmpty();
        assertThat(s).containsExactly(new S("up", List.of("dc", "jb"), ValueType.BOOLEAN, 1, null, 5),
                new S("version", List.of("q", "a\"b"), ValueType.STRING, Double.NaN, "1.2 \"x\"", 6),
                new S("temp", List.of(), ValueType.DOUBLE, 21.0, null, 7),
                new S("count", List.of(), ValueType.INTEGER, 42, null, 8));
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndTheRestIsRead() {
        List<ExpositionParser.Problem> problems = new ArrayList<>();
        List<S> s = parse("ok 1\nbad{a=\"1\" 2\nalso_bad abc\nok2 2\n", false, problems);
        assertThat(s).extracting(S::name).containsExactly("ok", "ok2");
        assertThat(problems).extracting(Object::toString).containsExactly(
                "line 2: expected , or } after label a of bad",
                "line 3: value 'abc' of also_bad is not a number, true, false or a quoted string");
    }
}
