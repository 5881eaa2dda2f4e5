package io.sluice.sql.exec;

import io.sluice.sql.SqlType;
import io.sluice.sql.expr.ColumnEval;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.AggCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The session operator alone: what closes is emitted, and idle keys leave no state behind. */
class SessionAggregateOperatorTest {
    private final List<String> out = new ArrayList<>();
    private final FlowStats stats = new FlowStats("test");
    private final Evaluator key = new ColumnEval(0, SqlType.STRING, "k");
    private final List<AggCall> calls = List.of(
            new AggCall(AggCall.Kind.COUNT_STAR, List.of(), null, SqlType.BIGINT, "COUNT(*)"));

    private SessionAggregateOperator op(long gap) {
        return new SessionAggregateOperator(List.of(key), calls, gap, (r, t) -> out.add(Arrays.toString(r) + "@" + t),
                stats);
    }

    @Test
    void idleKeysAreDroppedOnceNoEventCanReachThem() {
        SessionAggregateOperator op = op(100);
        for (int i = 0; i < 10_000; i++) {
            op.add(0, new Object[] {"k" + i}, i);
            op.advance(i);
        }
        // keys whose session ended more than a gap ago are gone: only the last ~300 ms of keys remain
        assertThat(op.groupCount()).isLessThanOrEqualTo(300);
        assertThat(out).hasSizeGreaterThanOrEqualTo(9_800);
        op.finish();
        assertThat(out).hasSize(10_000);
        assertThat(op.groupCount()).isZero();
    }

    @Test
    void aSessionThatGrowsClosesAtItsNewEndAndMergedSessionsOnce() {
        SessionAggregateOperator op = op(100);
        op.add(0, new Object[] {"a"}, 0);
        op.add(0, new Object[] {"a"}, 150);
        op.add(0, new Object[] {"a"}, 80); // bridges [0,100) and [150,250)
        op.advance(249);
        assertThat(out).isEmpty();
        op.advance(250);
        assertThat(out).containsExactly("[0, 250, a, 3]@249");
        op.add(0, new Object[] {"a"}, 240); // within the gap of the emitted session
        assertThat(stats.late).isEqualTo(1);
        op.finish();
        assertThat(out).hasSize(1);
    }
}
