package io.sluice.sql.ast;

import static java.util.Objects.requireNonNull;

/** A {@code FROM} item as written. Immutable records. */
public sealed interface Relation {
    Pos pos();

    /** A stream by name, with an optional alias (null when absent). */
    record Named(Pos pos, String name, String alias) implements Relation {
        public Named {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code (SELECT ...) AS alias}. */
    record Subquery(Pos pos, Query query, String alias) implements Relation {
        public Subquery {
            requireNonNull(query, "query is null");
            requireNonNull(alias, "alias is null");
        }
    }

    /** {@code left [LEFT] JOIN right ON condition OVER window}. */
    record Join(Pos pos, Relation left, Relation right, boolean leftOuter, Expr condition, WindowSpec window)
            implements Relation {
        public Join {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            requireNonNull(condition, "condition is null");
            requireNonNull(window, "window is null");
        }
    }
}
