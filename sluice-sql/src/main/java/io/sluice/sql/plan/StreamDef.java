package io.sluice.sql.plan;

import io.sluice.sql.Column;
import io.sluice.sql.ast.Query;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A declared stream: its name, columns, and where its events come from. {@code FILE}, {@code NODE}
 * and {@code SOURCE} come from CREATE STREAM; {@code INPUT} is fed from Java through
 * {@code RtsqlEngine.createInputStream}; {@code DERIVED} is {@code CREATE STREAM x AS SELECT}, whose
 * query is planned into every flow that reads it. Immutable.
 *
 * @param timestampColumn index of the {@code timestamp.col} column, or -1
 */
public record StreamDef(String name, List<Column> columns, Kind kind, String target, String format,
        Map<String, String> formatProperties, Map<String, String> sourceProperties, Query query, String queryText,
        int timestampColumn) {
    /** Where a stream's events come from. */
    public enum Kind { FILE, NODE, SOURCE, INPUT, DERIVED, METRICS, KAFKA }

    public StreamDef {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        requireNonNull(kind, "kind is null");
        formatProperties = Map.copyOf(formatProperties);
        sourceProperties = Map.copyOf(sourceProperties);
    }

    /** FILE streams end at the end of the file, INPUT streams when their feeder ends them; others never. */
    public boolean finite() {
        return kind == Kind.FILE || kind == Kind.INPUT;
    }

    public String describeSource() {
        switch (kind) {
            case FILE: return "FILE '" + target + "' FORMAT '" + format + "'";
            case NODE: return "NODE '" + target + "'";
            case SOURCE: return "SOURCE '" + target + "'";
            case METRICS: return "METRICS '" + target + "'";
            case KAFKA: return "KAFKA TOPIC '" + target + "'";
            case INPUT: return "INPUT (fed from Java)";
            default: return "AS " + queryText;
        }
    }
}
