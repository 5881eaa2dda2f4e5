package io.sluice.sql.analyzer;

import io.sluice.sql.ast.Expr;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.AggCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an expression may refer to where it stands. In a plain context, columns of {@code scope};
 * aggregates are refused with {@code noAggregateReason}. In an aggregate context (the select list
 * and HAVING of a windowed aggregate), the expression reads the aggregate's output: group keys,
 * aggregates (collected into {@code aggs}) and the window bounds; {@code aliases} lets HAVING name
 * select items. Not thread-safe; one per query block.
 */
final class ExprContext {
    final Scope scope;
    final String noAggregateReason;
    final boolean aggregate;
    final List<Evaluator> keys;
    final List<String> keyTexts = new ArrayList<>();
    final List<AggCall> aggs = new ArrayList<>();
    final Map<String, Expr> aliases;

    private ExprContext(Scope scope, String noAggregateReason, boolean aggregate, List<Evaluator> keys,
            Map<String, Expr> aliases) {
        this.scope = scope;
        this.noAggregateReason = noAggregateReason;
        this.aggregate = aggregate;
        this.keys = keys;
        this.aliases = aliases;
        for (Evaluator k : keys) {
            keyTexts.add(k.toString());
        }
    }

    static ExprContext plain(Scope scope, String noAggregateReason) {
        return new ExprContext(scope, noAggregateReason, false, List.of(), Map.of());
    }

    static ExprContext aggregate(Scope input, List<Evaluator> keys) {
        return new ExprContext(input, null, true, keys, Map.of());
    }

    /** The same aggregate context, where bare names may also be select aliases. */
    ExprContext withAliases(Map<String, Expr> aliases) {
        ExprContext c = new ExprContext(scope, noAggregateReason, aggregate, keys, aliases);
        c.aggs.addAll(aggs);
        return c;
    }

    /** Index of the first aggregate in the aggregate's output row. */
    int aggBase() {
        return 2 + keys.size();
    }
}
