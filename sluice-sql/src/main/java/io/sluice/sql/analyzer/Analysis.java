package io.sluice.sql.analyzer;

import io.sluice.sql.Column;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.AggCall;
import io.sluice.sql.plan.StreamDef;
import io.sluice.sql.plan.WindowDef;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What the {@link Analyzer} found a query to mean: the streams it reads (derived streams already
 * replaced by their analyzed queries), and for each SELECT block its typed filter, grouping,
 * window and output expressions. It says nothing about operators: {@link Planner} decides those.
 * Immutable.
 *
 * @param root             the outermost SELECT block
 * @param referencedStreams every stream the query reads, directly or through derived streams
 */
public record Analysis(Block root, Set<String> referencedStreams) {
    public Analysis {
        requireNonNull(root, "root is null");
        referencedStreams = Set.copyOf(referencedStreams);
    }

    /** What a FROM item reads. */
    public sealed interface Source {
        /** The columns this source gives its block (stream columns, then requested headers). */
        List<Column> columns();
    }

    /** A declared stream, with the headers ({@code #name}) the query reads from its events. */
    public record StreamSource(StreamDef stream, String alias, List<String> headers, List<Column> columns)
            implements Source {
        public StreamSource {
            requireNonNull(stream, "stream is null");
            headers = List.copyOf(headers);
            columns = List.copyOf(columns);
        }
    }

    /** A windowed join of two sources on equal keys plus an optional residual condition. */
    public record JoinSource(Source left, Source right, List<Evaluator> leftKeys, List<Evaluator> rightKeys,
            Evaluator residual, long preceding, long following, boolean leftOuter, List<Column> columns)
            implements Source {
        public JoinSource {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            leftKeys = List.copyOf(leftKeys);
            rightKeys = List.copyOf(rightKeys);
            columns = List.copyOf(columns);
        }
    }

    /** GROUP BY keys, aggregates, window and HAVING of an aggregating block. */
    public record Grouping(List<Evaluator> keys, List<AggCall> aggs, WindowDef window, List<Column> columns,
            Evaluator having) {
        public Grouping {
            keys = List.copyOf(keys);
            aggs = List.copyOf(aggs);
            requireNonNull(window, "window is null");
            columns = List.copyOf(columns);
        }
    }

    /**
     * One SELECT block; it is itself a source when used as a subquery or derived stream.
     *
     * @param where    the WHERE condition, or null
     * @param grouping the aggregation, or null for a plain projection
     * @param items    the output expressions (over the grouping's columns when there is one)
     */
    public record Block(Source from, Evaluator where, Grouping grouping, List<Evaluator> items, List<Column> columns)
            implements Source {
        public Block {
            requireNonNull(from, "from is null");
            items = List.copyOf(items);
            columns = List.copyOf(columns);
        }
    }
}
