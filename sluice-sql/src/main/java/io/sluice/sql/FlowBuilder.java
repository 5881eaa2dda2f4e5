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
    private final FlowStats stats;
    private final Predicate<StreamDef> finite;

    FlowBuilder(FlowStats stats, Predicate<StreamDef> finite) {
        this.stats = stats;
        this.finite = finite;
    }

    void build(PlanNode node, RowConsumer out) {
        if (node instanceof PlanNode.Scan s) {
            int slot = slots.size();
            slots.add(new Flow.Slot(s.stream().name(), out, finite.test(s.stream())));
            scans.add(new ScanSlot(s, slot));
            return;
        }
        if (node instanceof PlanNode.Filter f) {
            Operator op = new FilterOperator(f.predicate(), out);
            build(f.input(), (r, t) -> op.add(0, r, t));
            operators.add(op);
            return;
        }
        if (node instanceof PlanNode.Project p) {
            Operator op = new ProjectOperator(p.exprs(), out);
            build(p.input(), (r, t) -> op.add(0, r, t));
            operators.add(op);
            return;
        }
        if (node instanceof PlanNode.Aggregate a) {
            Operator op = a.window().kind() == WindowDef.Kind.SESSION
                    ? new SessionAggregateOperator(a.keys(), a.aggs(), a.window().size(), out, stats)
                    : new WindowAggregateOperator(a.keys(), a.aggs(), a.window(), out, stats);
            build(a.input(), (r, t) -> op.add(0, r, t));
            operators.add(op);
            watermarkOperators.add(op);
            return;
        }
        PlanNode.Join j = (PlanNode.Join) node;
        Operator op = new WindowJoinOperator(j.leftKeys(), j.rightKeys(), j.residual(), j.preceding(), j.following(),
                j.leftOuter(), j.left().columns().size(), j.right().columns().size(), out, stats);
        build(j.left(), (r, t) -> op.add(0, r, t));
        build(j.right(), (r, t) -> op.add(1, r, t));
        operators.add(op);
        watermarkOperators.add(op);
    }
}
