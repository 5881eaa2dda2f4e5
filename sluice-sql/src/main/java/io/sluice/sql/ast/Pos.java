package io.sluice.sql.ast;

/** A 1-based line and column in the statement text. Immutable. */
public record Pos(int line, int column) {
    public static final Pos NONE = new Pos(0, 0);

    @Override
    public String toString() {
        return "line " + line + ":" + column;
    }
}
