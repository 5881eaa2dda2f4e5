package io.sluice.sql.ast;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** A SELECT as written. {@code where}, {@code window} and {@code having} may be null. Immutable. */
public record Query(Pos pos, List<SelectItem> items, Relation from, Expr where, List<Expr> groupBy,
        WindowSpec window, Expr having, Map<String, WindowSpec> windowDefs) {
    public Query {
        requireNonNull(pos, "pos is null");
        items = List.copyOf(items);
        requireNonNull(from, "from is null");
        groupBy = List.copyOf(groupBy);
        windowDefs = Map.copyOf(windowDefs);
    }
}
