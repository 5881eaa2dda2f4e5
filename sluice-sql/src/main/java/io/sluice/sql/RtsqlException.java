package io.sluice.sql;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A statement that cannot run: a syntax error, an analysis error, or a refused command. The message
 * starts with the position of the first problem, {@code line 1:27: ...}; when there are several
 * problems, each is on its own line and {@link #problems()} lists them.
 */
public final class RtsqlException extends Exception {
    private final int line;
    private final int column;
    private final List<String> problems;

    /** A problem at {@code line}:{@code column} (1-based; 0:0 when there is no position). */
    public RtsqlException(int line, int column, String message) {
        super(line > 0 ? "line " + line + ":" + column + ": " + message : message);
        this.line = line;
        this.column = column;
        this.problems = List.of(getMessage());
    }

    /** A problem without a position. */
    public RtsqlException(String message) {
        this(0, 0, message);
    }

    public RtsqlException(String message, Throwable cause) {
        super(message, cause);
        this.line = 0;
        this.column = 0;
        this.problems = List.of(message);
    }

    /** Several problems, already formatted with their positions; the first gives line and column. */
    public RtsqlException(int line, int column, List<String> problems) {
        super(String.join("\n", requireNonNull(problems, "problems is null")));
        this.line = line;
        this.column = column;
        this.problems = List.copyOf(problems);
    }

    /** 1-based line of the first problem, 0 if unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the first problem, 0 if unknown. */
    public int column() {
        return column;
    }

    /** Every problem found, each formatted like {@link #getMessage()}'s first line. */
    public List<String> problems() {
        return problems;
    }
}
