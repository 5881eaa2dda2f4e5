package io.sluice.sql.analyzer;

import io.sluice.sql.plan.PlanNode;

/**
 * Turns an {@link Analysis} into the logical plan: a scan per stream, a filter for WHERE, an
 * aggregate (and a filter for HAVING) for a grouping block, a projection for the select list, a join
 * node per join. Stateless and thread-safe.
 */
public final class Planner {
    private Planner() {
    }

    /** The plan of {@code analysis}; its root's columns are the flow's output columns. */
    public static PlanNode plan(Analysis analysis) {
        return source(analysis.root());
    }

    private static PlanNode source(Analysis.Source s) {
        if (s instanceof Analysis.StreamSource st) {
            return new PlanNode.Scan(st.stream(), st.alias(), st.headers(), st.columns());
        }
        if (s instanceof Analysis.JoinSource j) {
            return new PlanNode.Join(source(j.left()), source(j.right()), j.leftKeys(), j.rightKeys(), j.residual(),
                    j.preceding(), j.following(), j.leftOuter(), j.columns());
        }
        Analysis.Block b = (Analysis.Block) s;
        PlanNode node = source(b.from());
        if (b.where() != null) {
            node = new PlanNode.Filter(node, b.where());
        }
        Analysis.Grouping g = b.grouping();
        if (g != null) {
            node = new PlanNode.Aggregate(node, g.keys(), g.aggs(), g.window(), g.columns());
            if (g.having() != null) {
                node = new PlanNode.Filter(node, g.having());
            }
        }
        return new PlanNode.Project(node, b.items(), b.columns());
    }
}
