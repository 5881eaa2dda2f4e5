package io.sluice.sql.ast;

import java.util.List;
import java.util.Map;

/** A statement as written. All implementations are immutable records. */
public sealed interface Statement {
    Pos pos();

    /** Where a declared stream's events come from. */
    enum SourceKind { FILE, NODE, SOURCE, METRICS, KAFKA }

    record CreateStream(Pos pos, String name, List<ColumnDef> columns, SourceKind sourceKind, String target,
            Map<String, String> sourceProperties, String format, Map<String, String> formatProperties)
            implements Statement {
        public CreateStream {
            columns = List.copyOf(columns);
            sourceProperties = Map.copyOf(sourceProperties);
            formatProperties = Map.copyOf(formatProperties);
        }
    }

    record CreateStreamAs(Pos pos, String name, Query query, String queryText) implements Statement {
    }

    record Select(Pos pos, Query query, String text) implements Statement {
    }

    record Explain(Pos pos, Statement statement) implements Statement {
    }

    record Describe(Pos pos, String name) implements Statement {
    }

    /** SHOW STREAMS, FLOWS or FUNCTIONS; {@code what} is lower case. */
    record Show(Pos pos, String what) implements Statement {
    }

    record DropStream(Pos pos, String name) implements Statement {
    }

    record DropFlow(Pos pos, long id) implements Statement {
    }

    record Set(Pos pos, String key, String value) implements Statement {
    }
}
