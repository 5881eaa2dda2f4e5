package io.sluice.sql.ast;

/** A window as written; lengths in milliseconds. Immutable records. */
public sealed interface WindowSpec {
    Pos pos();

    record Tumbling(Pos pos, long size) implements WindowSpec {
    }

    record Hopping(Pos pos, long size, long advance) implements WindowSpec {
    }

    record Session(Pos pos, long gap) implements WindowSpec {
    }

    /** {@code RANGE INTERVAL p PRECEDING} (following 0) or {@code RANGE BETWEEN ... FOLLOWING}. */
    record Range(Pos pos, long preceding, long following) implements WindowSpec {
    }

    /** A reference to a window defined in the query's {@code WINDOW} clause. */
    record Named(Pos pos, String name) implements WindowSpec {
    }
}
