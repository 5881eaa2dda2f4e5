package io.sluice.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a statement did: a message for people ("Started flow 1", "Stream clicks created"), the flow
 * it started if any, and for DESCRIBE, SHOW and EXPLAIN a small table of columns and rows.
 * Immutable and thread-safe.
 */
public final class StatementResult {
    private final String message;
    private final Flow flow;
    private final List<Column> columns;
    private final List<List<Object>> rows;

    public StatementResult(String message, Flow flow, List<Column> columns, List<List<Object>> rows) {
        this.message = requireNonNull(message, "message is null");
        this.flow = flow;
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
        List<List<Object>> copy = new ArrayList<>();
        for (List<Object> r : requireNonNull(rows, "rows is null")) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        }
        this.rows = Collections.unmodifiableList(copy);
    }

    static StatementResult message(String message) {
        return new StatementResult(message, null, List.of(), List.of());
    }

    public String message() {
        return message;
    }

    /** The flow a SELECT started. */
    public Optional<Flow> flow() {
        return Optional.ofNullable(flow);
    }

    /** The columns of {@link #rows()}, or of the started flow's output. */
    public List<Column> columns() {
        return columns;
    }

    /** The result table of DESCRIBE, SHOW and EXPLAIN; empty for other statements. */
    public List<List<Object>> rows() {
        return rows;
    }

    @Override
    public String toString() {
        return message;
    }
}
