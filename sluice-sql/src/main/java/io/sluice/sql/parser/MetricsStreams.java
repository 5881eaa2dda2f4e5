package io.sluice.sql.parser;

import io.sluice.sql.SqlType;
import io.sluice.sql.ast.ColumnDef;
import io.sluice.sql.ast.Pos;
import java.util.List;
import java.util.Map;

/**
 * The fixed shape of {@code CREATE STREAM m FROM METRICS 'selector'}: the columns every metrics
 * stream has, and how its events (one JSON line per stored sample, as the metrics query API's
 * {@code /api/v1/stream} writes them) are read. Stateless and thread-safe.
 */
public final class MetricsStreams {
    /** The event format of a metrics stream's events. */
    public static final String FORMAT = "json";
    /** The sample's time is the event time. */
    public static final Map<String, String> FORMAT_PROPERTIES = Map.of("timestamp.col", "ts");

    private MetricsStreams() {
    }

    /**
     * {@code name STRING NOT NULL, labels MAP<STRING, STRING> NOT NULL, value DOUBLE, ts TIMESTAMP
     * NOT NULL, text STRING}: value holds integer, double and boolean (1 or 0) samples and is NULL
     * for a string sample, whose string is in text (NULL otherwise).
     */
    public static List<ColumnDef> columns(Pos pos) {
        return List.of(new ColumnDef(pos, "name", SqlType.STRING.notNull()),
                new ColumnDef(pos, "labels", SqlType.map(SqlType.STRING, SqlType.STRING).notNull()),
                new ColumnDef(pos, "value", SqlType.DOUBLE),
                new ColumnDef(pos, "ts", SqlType.TIMESTAMP.notNull()),
                new ColumnDef(pos, "text", SqlType.STRING));
    }
}
