package io.sluice.metrics.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesKeyTest {
    @Test
    void pairsInAnyOrderMakeTheSameKeyAsAMap() {
        Random r = new Random(3);
        for (int round = 0; round < 2000; round++) {
            int n = r.nextInt(7);
            String[] pairs = new String[2 * n];
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = i == 3 ? "__name__" : "l" + r.nextInt(5);
                String v = "v" + r.nextInt(3);
                pairs[2 * i] = k;
                pairs[2 * i + 1] = v;
                map.put(k, v);
            }
            SeriesKey a = SeriesKey.of("m", pairs);
            SeriesKey b = SeriesKey.of("m", map);
            assertThat(a).isEqualTo(b);
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
            assertThat(a.toString()).isEqualTo(b.toString());
        }
    }
}
