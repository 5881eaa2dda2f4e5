package io.sluice.sql.plan;

import io.sluice.sql.SqlType;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.function.AggregateFunction;

import java.util.List;

/**
 * One aggregate of a windowed aggregation: which function, its argument(s) over the aggregate's
 * input, and its result type. {@code user} is set for user aggregates only. Immutable.
 */
public record AggCall(Kind kind, List<Evaluator> args, AggregateFunction user, SqlType type, String text) {
    /** The built-in aggregates, and USER for a plug-in one. */
    public enum Kind { COUNT_STAR, COUNT, COUNT_DISTINCT, SUM, MIN, MAX, AVG, FIRST, LAST, USER }

    public AggCall {
        args = List.copyOf(args);
    }

    public Evaluator arg() {
        return args.isEmpty() ? null : args.get(0);
    }

    @Override
    public String toString() {
        return text;
    }
}
