package io.sluice.sql.agent.tee;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** The tee's CPU budget against test clocks: the thread's CPU time and the wall time move as the test says. */
class CpuBudgetTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private long cpu;
    private long wall;

    private CpuBudget budget(double share) {
        return new CpuBudget(share, () -> cpu, () -> wall);
    }

    @Test
    void aThreadWithinItsShareNeverPauses() {
        CpuBudget b = budget(0.1);
        for (int i = 0; i < 1000; i++) {
            wall += 10 * MS;
            cpu += MS; // exactly a tenth
            assertThat(b.charge()).isZero();
        }
    }

    @Test
    void aThreadOverItsSharePausesUntilItsUseIsBackWithinIt() {
        CpuBudget b = budget(0.1);
        wall += MS;
        cpu += MS; // a whole core for 1 ms: 0.9 ms of CPU over, paid by 9 ms at a tenth
        long pause = b.charge();
        assertThat(pause).isEqualTo(9 * MS);
        wall += pause;
        assertThat(b.charge()).isZero();
        // busy all the time but for the pauses: a tenth of the wall time
        long used = 0;
        long start = wall;
        for (int i = 0; i < 100; i++) {
            wall += MS;
            cpu += MS;
            used += MS;
            wall += b.charge();
        }
        assertThat((double) used / (wall - start)).isCloseTo(0.1, offset(0.001));
    }

    @Test
    void anIdleThreadSavesAtMostABurstOfItsShare() {
        CpuBudget b = budget(0.1);
        wall += TimeUnit.SECONDS.toNanos(60);
        cpu += CpuBudget.BURST / 10; // the saved 10 ms: no pause
        assertThat(b.charge()).isZero();
        cpu += MS;
        assertThat(b.charge()).isEqualTo(10 * MS);
    }

    @Test
    void aWholeCoreNeverPauses() {
        CpuBudget b = budget(1);
        wall += MS;
        cpu += 5 * MS;
        assertThat(b.charge()).isZero();
    }

    @Test
    void aShareOutsideOneCoreIsRefusedNamingTheRange() {
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> budget(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("share: " + bad).hasMessageContaining("expected: > 0 and <= 1");
        }
    }
}
