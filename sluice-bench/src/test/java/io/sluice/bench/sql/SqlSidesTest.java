package io.sluice.bench.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Both engines of the rtsql scenarios do the real work on a small workload: the rows they emit agree. */
class SqlSidesTest {
    @Test
    void tumblingEmitsOneRowPerKeyAndSecondOnBothSides() throws Exception {
        Workload w = Workload.tumbling(250_000, 100, 1);
        long[] sluice = SluiceSide.run(SluiceSide.TUMBLING, w, SluiceSide.rows(w), false);
        long[] esper = EsperSide.run(EsperSide.TUMBLING, w, false);
        assertThat(sluice[0]).isEqualTo(250_000);
        // 2.5 seconds of event time: Sluice closes all three windows at the end of its input; Esper
        // outputs a context partition when it ends, which the last one never does.
        assertThat(sluice[1]).isEqualTo(3 * Workload.KEYS);
        assertThat(esper[1]).isEqualTo(2 * Workload.KEYS);
    }

    @Test
    void joinFindsAboutTheSamePairsOnBothSides() throws Exception {
        Workload w = Workload.join(100_000, 20, 2);
        long[] sluice = SluiceSide.run(SluiceSide.JOIN, w, SluiceSide.rows(w), true);
        long[] esper = EsperSide.run(EsperSide.JOIN, w, true);
        assertThat(sluice[1]).isGreaterThan(10_000);
        // Sluice's range includes both ends (|dt| <= 100 ms); Esper's time window keeps the last 100 ms.
        assertThat((double) esper[1]).isCloseTo(sluice[1], within(sluice[1] * 0.05));
    }
}
