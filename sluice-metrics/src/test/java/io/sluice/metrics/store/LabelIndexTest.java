package io.sluice.metrics.store;

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
