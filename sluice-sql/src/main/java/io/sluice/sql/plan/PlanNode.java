package io.sluice.sql.plan;

import io.sluice.sql.Column;
import io.sluice.sql.expr.Evaluator;

import java.util.List;

/**
 * The logical plan: a DAG of immutable nodes, each with its output columns. EXPLAIN prints it;
 * the engine turns each node into one physical operator.
 */
public sealed interface PlanNode {
    List<Column> columns();

    List<PlanNode> inputs();

    /** One line describing this node (without its inputs). */
    String describe();

    /**
     * Reads a stream. Output: the stream's columns, then one hidden column per header in
     * {@code headers} (the header's value, or NULL).
     */
    record Scan(StreamDef stream, String alias, List<String> headers, List<Column> columns) implements PlanNode {
        public Scan {
            headers = List.copyOf(headers);
            columns = List.copyOf(columns);
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of();
        }

        @Override
        public String describe() {
            return "Scan[" + stream.name() + (alias.equals(stream.name()) ? "" : " AS " + alias) + ": "
                    + stream.describeSource() + (headers.isEmpty() ? "" : "; headers " + headers) + "]";
        }
    }

    record Filter(PlanNode input, Evaluator predicate) implements PlanNode {
        @Override
        public List<Column> columns() {
            return input.columns();
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }

        @Override
        public String describe() {
            return "Filter[" + predicate + "]";
        }
    }

    record Project(PlanNode input, List<Evaluator> exprs, List<Column> columns) implements PlanNode {
        public Project {
            exprs = List.copyOf(exprs);
            columns = List.copyOf(columns);
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder("Project[");
            for (int i = 0; i < exprs.size(); i++) {
                sb.append(i > 0 ? ", " : "").append(exprs.get(i));
                if (!exprs.get(i).toString().equals(columns.get(i).name())) {
                    sb.append(" AS ").append(columns.get(i).name());
                }
            }
            return sb.append(']').toString();
        }
    }

    /**
     * A windowed aggregate. Output columns: WINDOW_START, WINDOW_END, the keys, the aggregates.
     * One row per (window, group) with data, when the window closes; its event time is end - 1.
     */
    record Aggregate(PlanNode input, List<Evaluator> keys, List<AggCall> aggs, WindowDef window,
            List<Column> columns) implements PlanNode {
        public Aggregate {
            keys = List.copyOf(keys);
            aggs = List.copyOf(aggs);
            columns = List.copyOf(columns);
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }

        @Override
        public String describe() {
            return "WindowAggregate[" + window + "; keys " + keys + "; aggregates " + aggs + "]";
        }
    }

    /**
     * A windowed symmetric hash join: a pair joins when the keys are equal and not NULL, the
     * residual condition holds, and {@code l.time - preceding <= r.time <= l.time + following}.
     * Output: the left columns, then the right ones.
     */
    record Join(PlanNode left, PlanNode right, List<Evaluator> leftKeys, List<Evaluator> rightKeys,
            Evaluator residual, long preceding, long following, boolean leftOuter, List<Column> columns)
            implements PlanNode {
        public Join {
            leftKeys = List.copyOf(leftKeys);
            rightKeys = List.copyOf(rightKeys);
            columns = List.copyOf(columns);
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(left, right);
        }

        @Override
        public String describe() {
            return (leftOuter ? "LeftWindowJoin[" : "WindowJoin[") + leftKeys + " = " + rightKeys
                    + (residual == null ? "" : " AND " + residual) + "; RANGE " + preceding + " ms PRECEDING, "
                    + following + " ms FOLLOWING]";
        }
    }
}
