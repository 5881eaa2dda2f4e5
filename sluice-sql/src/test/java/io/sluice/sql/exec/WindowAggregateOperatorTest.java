package io.sluice.sql.exec;

import io.sluice.sql.SqlType;
import io.sluice.sql.expr.ColumnEval;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.AggCall;
import io.sluice.sql.plan.WindowDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate operator alone, driven by hand: add rows, move the watermark, finish. */
class WindowAggregateOperatorTest {
    private final List<String> out = new ArrayList<>();
    private final FlowStats stats = new FlowStats("test");
    private final Evaluator key = new ColumnEval(0, SqlType.STRING, "k");
    private final Evaluator val = new ColumnEval(1, SqlType.BIGINT, "v");
    private final List<AggCall> calls = List.of(
            new AggCall(AggCall.Kind.COUNT_STAR, List.of(), null, SqlType.BIGINT, "COUNT(*)"),
            new AggCall(AggCall.Kind.MAX, List.of(val), null, SqlType.BIGINT, "MAX(v)"));

    private WindowAggregateOperator op(WindowDef w) {
        return new WindowAggregateOperator(List.of(key), calls, w, (r, t) -> out.add(Arrays.toString(r) + "@" + t), stats);
    }

    @Test
    void tumblingClosesExactlyAtTheWatermark() {
        WindowAggregateOperator op = op(WindowDef.tumbling(100));
        op.add(0, new Object[] {"b", 5L}, 10);
        op.add(0, new Object[] {"a", 7L}, 99);
        op.add(0, new Object[] {"a", 9L}, 100);
        op.advance(99);
        assertThat(out).isEmpty();
        op.advance(100);
        assertThat(out).containsExactly("[0, 100, a, 1, 7]@99", "[0, 100, b, 1, 5]@99");
        op.add(0, new Object[] {"c", 1L}, 50); // its window has closed
        assertThat(stats.late).isEqualTo(1);
        op.finish();
        assertThat(out).hasSize(3).last().isEqualTo("[100, 200, a, 1, 9]@199");
    }

    @Test
    void hoppingMergesPanesAndSkipsEmptyWindows() {
        WindowAggregateOperator op = op(WindowDef.hopping(100, 40)); // panes of 20 ms
        op.add(0, new Object[] {"a", 1L}, 45);
        op.add(0, new Object[] {"a", 3L}, 75);
        op.add(0, new Object[] {"a", 2L}, 1000);
        op.advance(200);
        // windows holding 45 and 75: [0,100) and [40,140); [-40,60) holds only 45
        assertThat(out).containsExactly("[-40, 60, a, 1, 1]@59", "[0, 100, a, 2, 3]@99", "[40, 140, a, 2, 3]@139");
        op.finish();
        assertThat(out).hasSize(6).endsWith("[920, 1020, a, 1, 2]@1019", "[960, 1060, a, 1, 2]@1059", "[1000, 1100, a, 1, 2]@1099");
        assertThat(stats.late).isZero();
    }

    @Test
    void groupTableGivesDenseSlotsAndHandlesNullKeys() {
        GroupTable t = new GroupTable(new Evaluator[] {key, val});
        for (int i = 0; i < 1000; i++) {
            assertThat(t.slotOf(new Object[] {"k" + (i % 100), (long) (i % 7 == 0 ? 0 : 1)}, 0)).isLessThan(200);
        }
        assertThat(t.size()).isEqualTo(200);
        int n = t.slotOf(new Object[] {null, null}, 0);
        assertThat(t.slotOf(new Object[] {null, null}, 0)).isEqualTo(n);
        assertThat(t.keyValue(n, 0)).isNull();
    }
}
