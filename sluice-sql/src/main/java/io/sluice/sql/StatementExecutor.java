package io.sluice.sql;

import io.sluice.sql.ast.ColumnDef;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.ast.Statement;
import io.sluice.sql.format.EventFormats;
import io.sluice.sql.plan.StreamDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Runs one parsed statement: catalog changes (CREATE STREAM, CREATE STREAM AS, DROP STREAM), flows
 * (SELECT, DROP FLOW), settings (SET); hands DESCRIBE, SHOW and EXPLAIN to the {@link Describer}.
 * Thread-safe: catalog changes hold the catalog's monitor (the engine's lock).
 */
final class StatementExecutor {
    private final StreamCatalog catalog;
    private final FlowLauncher launcher;
    private final Describer describer;
    private final Settings settings;
    private final EventSources sources;

    StatementExecutor(StreamCatalog catalog, FlowLauncher launcher, Describer describer, Settings settings,
            EventSources sources) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.describer = requireNonNull(describer, "describer is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.sources = requireNonNull(sources, "sources is null");
    }

    /**
     * @param text   the statement as written (recorded for CREATE STREAM so it can run again)
     * @param flowId for a SELECT, the id the flow gets (0: the next free one)
     */
    StatementResult run(Statement st, String text, RowListener listener, long flowId) throws RtsqlException {
        if (st instanceof Statement.CreateStream c) {
            return createStream(c, text);
        }
        if (st instanceof Statement.CreateStreamAs c) {
            return createStreamAs(c, text);
        }
        if (st instanceof Statement.Select s) {
            Flow flow = launcher.start(s.query(), s.text().strip(), listener, null, flowId, true);
            String warn = flow.warnings().isEmpty() ? "" : " (warning: " + String.join("; ", flow.warnings()) + ")";
            return new StatementResult("Started flow " + flow.id() + warn, flow, flow.columns(), List.of());
        }
        if (st instanceof Statement.Explain e) {
            return describer.explain(e, text);
        }
        if (st instanceof Statement.Describe d) {
            return describer.describe(d);
        }
        if (st instanceof Statement.Show s) {
            return describer.show(s);
        }
        if (st instanceof Statement.DropStream d) {
            return dropStream(d);
        }
        if (st instanceof Statement.DropFlow d) {
            launcher.drop(d.id(), d.pos());
            return StatementResult.message("Flow " + d.id() + " dropped");
        }
        Statement.Set s = (Statement.Set) st;
        String err = settings.set(s.key(), s.value());
        if (err != null) {
            throw error(s.pos(), err);
        }
        return StatementResult.message("Set " + s.key() + " = " + s.value());
    }

    static RtsqlException error(Pos pos, String message) {
        return new RtsqlException(pos.line(), pos.column(), message);
    }

    private void checkOpen() throws RtsqlException {
        if (launcher.isClosed()) {
            throw new RtsqlException("the engine is closed");
        }
    }

    private StatementResult createStream(Statement.CreateStream c, String text) throws RtsqlException {
        synchronized (catalog) {
            checkOpen();
            catalog.checkNewName(c.pos(), c.name());
            List<Column> cols = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<String> problems = new ArrayList<>();
            for (ColumnDef d : c.columns()) {
                if (!seen.add(d.name())) {
                    problems.add("line " + d.pos().line() + ":" + d.pos().column() + ": column '" + d.name()
                            + "' is declared twice; rename one");
                }
                cols.add(new Column(d.name(), d.type()));
            }
            for (String p : EventFormats.check(c.format(), c.formatProperties(), cols)) {
                problems.add("line " + c.pos().line() + ":" + c.pos().column() + ": " + p);
            }
            if (c.sourceKind() == Statement.SourceKind.NODE || c.sourceKind() == Statement.SourceKind.SOURCE
                    || c.sourceKind() == Statement.SourceKind.KAFKA) {
                StreamDef probe = new StreamDef(c.name(), cols, StreamDef.Kind.valueOf(c.sourceKind().name()),
                        c.target(), c.format(), c.formatProperties(), c.sourceProperties(), null, null, -1);
                EventSourceProvider provider = sources.provider(probe);
                if (provider != null) {
                    for (String p : provider.check(c.sourceKind().name(), c.target(), c.sourceProperties())) {
                        problems.add("line " + c.pos().line() + ":" + c.pos().column() + ": " + p);
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new RtsqlException(c.pos().line(), c.pos().column(), problems);
            }
            String ts = c.formatProperties().get(EventFormats.TIMESTAMP_COL);
            int tsCol = ts == null ? -1 : EventFormats.indexOf(cols, ts);
            StreamDef.Kind kind = StreamDef.Kind.valueOf(c.sourceKind().name());
            catalog.add(new StreamDef(c.name(), cols, kind, c.target(), c.format(), c.formatProperties(),
                    c.sourceProperties(), null, null, tsCol), text.strip(), Set.of());
        }
        return StatementResult.message("Stream " + c.name() + " created");
    }

    private StatementResult createStreamAs(Statement.CreateStreamAs c, String text) throws RtsqlException {
        synchronized (catalog) {
            checkOpen();
            catalog.checkNewName(c.pos(), c.name());
            FlowLauncher.PlanPlusStreams planned = launcher.plan(c.query());
            List<Column> columns = planned.plan().columns();
            Set<String> names = new HashSet<>();
            for (Column col : columns) {
                if (!names.add(col.name())) {
                    throw error(c.query().pos(), "column name '" + col.name() + "' appears twice in the output of"
                            + " stream '" + c.name() + "'; give one an alias with AS");
                }
            }
            catalog.add(new StreamDef(c.name(), columns, StreamDef.Kind.DERIVED, "", "avro", Map.of(), Map.of(),
                    c.query(), c.queryText().strip(), -1), text.strip(), planned.streams());
            return new StatementResult("Stream " + c.name() + " created", null, columns, List.of());
        }
    }

    private StatementResult dropStream(Statement.DropStream d) throws RtsqlException {
        synchronized (catalog) {
            checkOpen();
            catalog.require(d.pos(), d.name());
            List<Long> readers = launcher.runningReaders(d.name());
            if (!readers.isEmpty()) {
                throw error(d.pos(), "stream '" + d.name() + "' is read by running flow"
                        + (readers.size() > 1 ? "s " : " ") + readers + "; DROP FLOW " + readers.get(0) + " first");
            }
            Optional<String> dependent = catalog.dependent(d.name());
            if (dependent.isPresent()) {
                throw error(d.pos(), "stream '" + dependent.get() + "' is defined from stream '" + d.name()
                        + "'; DROP STREAM " + dependent.get() + " first");
            }
            catalog.remove(d.name());
            sources.close(d.name());
        }
        return StatementResult.message("Stream " + d.name() + " dropped");
    }
}
