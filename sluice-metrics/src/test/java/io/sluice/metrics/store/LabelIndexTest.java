package io.sluice.metrics.store;

import io.sluice.metrics.query.Evaluator;
import io.sluice.metrics.query.Expr;
import io.sluice.metrics.query.QueryParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The label index answers exactly what a scan of every key answers, also while series are added. */
class LabelIndexTest {
    private static final long NOW = 1_000 * 60_000L;

    private static SeriesKey key(int i) {
        return SeriesKey.of(i % 3 == 0 ? "disk" : "temp", new String[] {"dc", "dc" + (i % 4), "rack", "r" + (i % 7),
            "host", "h" + i});
    }

    @Test
    void intersectionsAgreeWithAScanOfEveryKey() {
        MetricsStore store = new MetricsStore(RingSpec.parseList("10x1m"), 10_000);
        for (int i = 0; i < 5_000; i++) {
            store.add(key(i), ValueType.INTEGER, NOW, i);
        }
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<String> pairs = new ArrayList<>();
            if (random.nextBoolean()) {
                pairs.addAll(List.of("__name__", random.nextBoolean() ? "disk" : "temp"));
            }
            if (random.nextBoolean()) {
                pairs.addAll(List.of("dc", "dc" + random.nextInt(5)));
            }
            if (random.nextBoolean()) {
                pairs.addAll(List.of("rack", "r" + random.nextInt(8)));
            }
            if (random.nextInt(4) == 0) {
                pairs.addAll(List.of("host", "h" + random.nextInt(6_000)));
            }
            List<SeriesKey> expected = store.find(k -> {
                for (int p = 0; p < pairs.size(); p += 2) {
                    if (!pairs.get(p + 1).equals(k.label(pairs.get(p)))) {
                        return false;
                    }
                }
                return true;
            });
            int[] ids = store.lookup(pairs);
            List<SeriesKey> got = new ArrayList<>();
            for (int id : ids) {
                got.add(store.key(id));
            }
            assertThat(got).as("lookup %s", pairs).isEqualTo(expected);
            assertThat(ids).as("ascending").isSorted();
        }
        assertThat(store.lookup(List.of("dc", "nowhere"))).isEmpty();
        assertThat(store.lookup(List.of("nolabel", "x"))).isEmpty();
        assertThat(store.lookup(List.of())).hasSize(5_000);
    }

    /**
     * Selectors mixing every matcher kind (regular expressions of literals and of patterns, ones an
     * absent label passes and ones it fails) answer through the index exactly what testing every key
     * answers; some series lack the {@code rack} label, one has an empty {@code zone}.
     */
    @Test
    void everyMatcherKindAgreesWithAScanOfEveryKey() {
        MetricsStore store = new MetricsStore(RingSpec.parseList("10x1m"), 10_000);
        for (int i = 0; i < 5_000; i++) {
            SeriesKey k = i % 5 == 0
                    ? SeriesKey.of(i % 3 == 0 ? "disk" : "temp", new String[] {"dc", "dc" + (i % 4), "host", "h" + i})
                    : key(i);
            store.add(k, ValueType.INTEGER, NOW, i);
        }
        store.add(SeriesKey.of("temp", new String[] {"dc", "dc1", "zone", "", "host", "hz"}), ValueType.INTEGER, NOW, 1);
        String[] labels = {"dc", "rack", "host", "zone", "nolabel", "__name__"};
        String[] ops = {"=", "!=", "=~", "!~"};
        String[] values = {"", "dc1", "r3", "h1.*", "dc[0-2]", "r1|r2|r5", "dc0|", ".*", ".+", "r.", "h4[0-9]",
            "(?i)DC2", "disk|nothing", "x"};
        Random random = new Random(11);
        int nonEmpty = 0;
        for (int round = 0; round < 500; round++) {
            StringBuilder q = new StringBuilder(random.nextInt(3) == 0 ? (random.nextBoolean() ? "disk" : "temp") : "");
            q.append('{');
            int matchers = 1 + random.nextInt(3);
            for (int m = 0; m < matchers; m++) {
                String op = ops[random.nextInt(ops.length)];
                String value = values[random.nextInt(values.length)];
                q.append(m == 0 ? "" : ",").append(labels[random.nextInt(labels.length)]).append(op)
                        .append('"').append(value).append('"');
            }
            q.append('}');
            Expr.Selector selector = (Expr.Selector) QueryParser.parse(q.toString());
            List<SeriesKey> expected = store.find(selector::matches);
            int[] ids = Evaluator.select(store, selector);
            List<SeriesKey> got = new ArrayList<>();
            for (int id : ids) {
                got.add(store.key(id));
            }
            assertThat(got).as("select %s", q).isEqualTo(expected);
            assertThat(ids).as("ascending").isSorted();
            nonEmpty += expected.isEmpty() || expected.size() == store.seriesCount() ? 0 : 1;
        }
        assertThat(nonEmpty).as("rounds selecting some but not all series").isGreaterThan(50);
        List<String> asked = new ArrayList<>();
        int[] dc1or2 = store.lookupMatching("dc", v -> asked.add(v) && (v.equals("dc1") || v.equals("dc2")));
        assertThat(asked).as("one test per distinct value, not per series").hasSize(4);
        assertThat(dc1or2).hasSize(2_501).isSorted();
    }

    @Test
    void subtractTakesAwayOnlyWhatIsListed() {
        assertThat(LabelIndex.subtract(new int[] {1, 2, 3, 5, 8}, new int[] {0, 2, 5, 9})).containsExactly(1, 3, 8);
        assertThat(LabelIndex.subtract(new int[] {1, 2}, new int[0])).containsExactly(1, 2);
        assertThat(LabelIndex.subtract(new int[0], new int[] {1})).isEmpty();
    }

    @Test
    void gallopingIntersectionOfSmallAndLargeLists() {
        int[] large = new int[100_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = 2 * i;
        }
        assertThat(LabelIndex.intersect(new int[] {0, 1, 2, 199_998, 199_999, 300_000}, large))
                .containsExactly(0, 2, 199_998);
        assertThat(LabelIndex.intersect(large, new int[] {5, 64, 65, 1000})).containsExactly(64, 1000);
        assertThat(LabelIndex.intersect(new int[0], large)).isEmpty();
        int[] odd = Arrays.stream(large).map(x -> x + 1).toArray();
        assertThat(LabelIndex.intersect(odd, large)).isEmpty();
    }

    /** A reader running while the writer creates series finds each listed series in its slot, never a hole. */
    @Test
    void readersSeeOnlyCompleteSeriesWhileOthersAreCreated() throws Exception {
        MetricsStore store = new MetricsStore(RingSpec.parseList("10x1m"), 100_000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                int seen = 0;
                while (seen < 60_000) {
                    int[] ids = store.lookup(List.of("__name__", "disk"));
                    for (int id : ids) {
                        SeriesKey k = store.key(id);
                        assertThat(k.name()).isEqualTo("disk");
                        long[] count = {0};
                        store.visit(id, 0, 0, NOW, NOW, (start, c, sum, min, max, first, last) -> count[0] += c);
                        // a series is indexed just before its first sample is added to it
                        assertThat(count[0]).isBetween(0L, 1L);
                    }
                    assertThat(ids).isSorted();
                    seen = Math.max(seen, ids.length * 3);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 60_003; i++) {
            store.add(key(i), ValueType.INTEGER, NOW, i);
        }
        reader.join();
        assertThat(failure.get()).isNull();
    }
}
