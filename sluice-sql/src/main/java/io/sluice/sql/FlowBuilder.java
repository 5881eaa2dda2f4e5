package io.sluice.sql;

import io.sluice.sql.exec.FilterOperator;
import io.sluice.sql.exec.FlowStats;
import io.sluice.sql.exec.Operator;
import io.sluice.sql.exec.ProjectOperator;
import io.sluice.sql.exec.RowConsumer;
import io.sluice.sql.exec.SessionAggregateOperator;
import io.sluice.sql.exec.WindowAggregateOperator;
import io.sluice.sql.exec.WindowJoinOperator;
import io.sluice.sql.plan.PlanNode;
import io.sluice.sql.plan.StreamDef;
import io.sluice.sql.plan.WindowDef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a logical plan into physical operators wired to each other, in topological order (inputs
 * before the operators they feed), and lists the scans that feed the flow. Not thread-safe; one per
 * flow.
 */
final class FlowBuilder {
    /** A scan of the plan and the input slot of the flow it feeds. */
    record ScanSlot(PlanNode.Scan scan, int slot) {
    }

    final List<Operator> operators = new ArrayList<>();
    final List<Operator> watermarkOperators = new ArrayList<>();
    final List<Flow.Slot> slots = new ArrayList<>();
    final List<ScanSlot> scans = new ArrayList<>();
    /**
     * For each of {@link #watermarkOperators}: how far before an input row's event time the flow's
     * input events that made it may lie (0 for a row read from a stream; a window's size for a row
     * a window emitted, and so on down the chain; {@link Long#MAX_VALUE} when unbounded, after a
     * session window).
     */
    private final List<Long> spans = new ArrayList<>();
    private final FlowStats stats;
    private final Predicate<StreamDef> finite;

    FlowBuilder(FlowStats stats, Predicate<StreamDef> finite) {
        this.stats = stats;
        this.finite = finite;
    }

    /**
     * Builds the operators of {@code node} and what feeds it; returns how far before the event time
     * of a row {@code node} outputs the input events that made it may lie (see {@link #spans}).
     */
    long build(PlanNode node, RowConsumer out) {
        if (node instanceof PlanNode.Scan s) {
            int slot = slots.size();
            slots.add(new Flow.Slot(s.stream().name(), out, finite.test(s.stream())));
            scans.add(new ScanSlot(s, slot));
            return 0;
        }
        if (node instanceof PlanNode.Filter f) {
            Operator op = new FilterOperator(f.predicate(), out);
            long span = build(f.input(), (r, t) -> op.add(0, r, t));
            operators.add(op);
            return span;
        }
        if (node instanceof PlanNode.Project p) {
            Operator op = new ProjectOperator(p.exprs(), out);
            long span = build(p.input(), (r, t) -> op.add(0, r, t));
            operators.add(op);
            return span;
        }
        if (node instanceof PlanNode.Aggregate a) {
            boolean session = a.window().kind() == WindowDef.Kind.SESSION;
            Operator op = session
                    ? new SessionAggregateOperator(a.keys(), a.aggs(), a.window().size(), out, stats)
                    : new WindowAggregateOperator(a.keys(), a.aggs(), a.window(), out, stats);
            long span = build(a.input(), (r, t) -> op.add(0, r, t));
            operators.add(op);
            watermarkOperators.add(op);
            spans.add(span);
            // a window's row has time end - 1 and was made of rows from [end - size, end)
            return session ? Long.MAX_VALUE : plus(span, a.window().size());
        }
        PlanNode.Join j = (PlanNode.Join) node;
        Operator op = new WindowJoinOperator(j.leftKeys(), j.rightKeys(), j.residual(), j.preceding(), j.following(),
                j.leftOuter(), j.left().columns().size(), j.right().columns().size(), out, stats);
        long left = build(j.left(), (r, t) -> op.add(0, r, t));
        long right = build(j.right(), (r, t) -> op.add(1, r, t));
        operators.add(op);
        watermarkOperators.add(op);
        long span = Math.max(left, right);
        spans.add(span);
        // a pair has the later time of its two rows, which lie at most PRECEDING or FOLLOWING apart
        return plus(span, Math.max(j.preceding(), j.following()));
    }

    private static long plus(long a, long b) {
        long r = a + b;
        return r < 0 || a == Long.MAX_VALUE || b == Long.MAX_VALUE ? Long.MAX_VALUE : r;
    }

    /**
     * The earliest event time of an input event whose contribution some operator still holds (has
     * not emitted), {@link Long#MAX_VALUE} when none holds anything. Caller holds the flow's lock.
     */
    long heldFrom() {
        long floor = Long.MAX_VALUE;
        for (int i = 0; i < watermarkOperators.size(); i++) {
            long h = watermarkOperators.get(i).heldFrom();
            if (h == Long.MAX_VALUE) {
                continue;
            }
            long span = spans.get(i);
            long f = span == Long.MAX_VALUE || h - span > h ? Long.MIN_VALUE : h - span;
            floor = Math.min(floor, f);
        }
        return floor;
    }
}
