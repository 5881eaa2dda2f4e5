package io.sluice.metrics.query;

import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** {@code map(fn, x, args...)}: rtsql's scalar functions, built-in and user ones, per series value. */
class MapFunctionTest {
    private static final long T0 = 1_796_578_600_000L;

    private static MetricsStore store() {
        MetricsStore store = new MetricsStore(RingSpec.parseList("60x1s,10x10s"), 1000);
        double[][] temps = {{20.0, 21.5, -300.0}, {30.25, 31.0, 40.0}};
        for (int h = 0; h < temps.length; h++) {
            SeriesKey k = SeriesKey.of("temperature", Map.of("dc", "jb", "host", "h" + h));
            for (int i = 0; i < temps[h].length; i++) {
                store.add(k, ValueType.DOUBLE, T0 + i * 1000L + 100, temps[h][i]);
            }
        }
        store.add(SeriesKey.of("temperature", Map.of("dc", "par", "host", "p0")), ValueType.DOUBLE, T0 + 100, 5);
        return store;
    }

    private static Matrix run(String q) {
        return new Evaluator(store(), T0 + 4_000, null).evaluate(QueryParser.parse(q), T0, T0 + 3_000, 1_000);
    }

    @Test
    void aUserFunctionMapsEveryValueOfEverySeries() {
        Matrix m = run("map(celsius_to_f, temperature{dc=\"jb\"})");
        assertThat(m.rows()).hasSize(2);
        Map<String, double[]> byHost = new TreeMap<>();
        m.rows().forEach(r -> byHost.put(r.labels().get("host"), r.values()));
        assertThat(m.rows().get(0).labels()).doesNotContainKey("__name__");
        // 20 C = 68 F; -300 C is below absolute zero: the function gives NULL, a gap; the 4th bucket has no sample
        assertThat(byHost.get("h0")).containsExactly(68.0, 70.7, Double.NaN, Double.NaN);
        assertThat(byHost.get("h1")).containsExactly(86.45, 87.8, 104.0, Double.NaN);
    }

    @Test
    void builtInFunctionsTakeExtraNumericArgumentsAndComposeWithReductions() {
        Matrix m = run("max by (dc) (map(round, temperature, 0))");
        Map<String, double[]> byDc = new TreeMap<>();
        m.rows().forEach(r -> byDc.put(r.labels().get("dc"), r.values()));
        assertThat(byDc.get("jb")).containsExactly(30.0, 31.0, 40.0, Double.NaN);
        assertThat(byDc.get("par")).containsExactly(5.0, Double.NaN, Double.NaN, Double.NaN);
        assertThat(run("map(celsius_to_f, temperature{host=\"h1\"}) - 32").rows().get(0).values()[0])
                .isEqualTo(54.45, offset(1e-9));
    }

    @Test
    void anUnknownOrUnfitFunctionIsAnErrorWithItsColumn() {
        assertThatThrownBy(() -> QueryParser.parse("map(celsius_to_fh, temperature)"))
                .hasMessageContaining("column 5").hasMessageContaining("unknown function 'celsius_to_fh'")
                .hasMessageContaining("did you mean 'celsius_to_f'");
        assertThatThrownBy(() -> QueryParser.parse("map(upper, temperature)"))
                .hasMessageContaining("UPPER").hasMessageContaining("cannot map a series");
        assertThatThrownBy(() -> QueryParser.parse("map(celsius_to_f, temperature, 3)"))
                .hasMessageContaining("cannot map a series");
        assertThatThrownBy(() -> QueryParser.parse("celsius_to_f(temperature)"))
                .hasMessageContaining("map(celsius_to_f, x)");
    }
}
