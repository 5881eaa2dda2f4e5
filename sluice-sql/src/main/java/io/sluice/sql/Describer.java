package io.sluice.sql;

import io.sluice.api.text.DidYouMean;
import io.sluice.sql.ast.Query;
import io.sluice.sql.ast.Statement;
import io.sluice.sql.function.FunctionRegistry;
import io.sluice.sql.parser.SqlParser;
import io.sluice.sql.plan.PlanNode;
import io.sluice.sql.plan.PlanPrinter;
import io.sluice.sql.plan.StreamDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Renders DESCRIBE, SHOW and EXPLAIN results from the catalog, the flows and the functions. Runs
 * nothing. Thread-safe (reads the catalog under its monitor).
 */
final class Describer {
    private final StreamCatalog catalog;
    private final FlowLauncher launcher;
    private final FunctionRegistry functions;

    Describer(StreamCatalog catalog, FlowLauncher launcher, FunctionRegistry functions) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.functions = requireNonNull(functions, "functions is null");
    }

    StatementResult describe(Statement.Describe d) throws RtsqlException {
        Optional<StreamDef> stream = catalog.stream(d.name());
        if (stream.isPresent()) {
            StreamDef s = stream.get();
            List<List<Object>> rows = new ArrayList<>();
            for (Column c : s.columns()) {
                rows.add(List.of(c.name(), c.type().toString()));
            }
            return new StatementResult("Stream " + s.name() + ": " + s.describeSource(), null,
                    List.of(new Column("column", SqlType.STRING), new Column("type", SqlType.STRING)), rows);
        }
        Optional<String> sig = functions.signature(d.name());
        if (sig.isPresent()) {
            return new StatementResult("Function " + d.name().toUpperCase(Locale.ROOT), null,
                    List.of(new Column("function", SqlType.STRING), new Column("signature", SqlType.STRING)),
                    List.of(List.of(d.name().toUpperCase(Locale.ROOT), sig.get())));
        }
        List<String> all = new ArrayList<>(catalog.streamNames());
        all.addAll(functions.names());
        throw StatementExecutor.error(d.pos(), "no stream or function is named '" + d.name() + "'"
                + DidYouMean.suggest(d.name(), all));
    }

    StatementResult show(Statement.Show s) {
        List<List<Object>> rows = new ArrayList<>();
        switch (s.what()) {
            case "streams":
                for (StreamCatalog.Entry e : catalog.entries()) {
                    StreamDef d = e.def();
                    StringBuilder cols = new StringBuilder();
                    for (Column c : d.columns()) {
                        cols.append(cols.length() > 0 ? ", " : "").append(c);
                    }
                    rows.add(List.of(d.name(), d.describeSource(), cols.toString()));
                }
                return new StatementResult(rows.size() + " stream(s)", null, List.of(new Column("name", SqlType.STRING),
                        new Column("source", SqlType.STRING), new Column("columns", SqlType.STRING)), rows);
            case "flows":
                for (Flow f : launcher.flows()) {
                    FlowCounters c = f.counters();
                    rows.add(List.of(f.id(), f.state().name(), c.eventsIn(), c.rowsOut(), c.rejected(), c.late(),
                            f.query(), String.join("; ", launcher.waiting(f))));
                }
                return new StatementResult(rows.size() + " flow(s)", null, List.of(new Column("id", SqlType.BIGINT),
                        new Column("state", SqlType.STRING), new Column("events_in", SqlType.BIGINT),
                        new Column("rows_out", SqlType.BIGINT), new Column("rejected", SqlType.BIGINT),
                        new Column("late", SqlType.BIGINT), new Column("query", SqlType.STRING),
                        new Column("waiting", SqlType.STRING)), rows);
            default:
                rows.addAll(functions.describeAll());
                return new StatementResult(rows.size() + " function(s)", null, List.of(new Column("name", SqlType.STRING),
                        new Column("kind", SqlType.STRING), new Column("signature", SqlType.STRING)), rows);
        }
    }

    StatementResult explain(Statement.Explain e, String text) throws RtsqlException {
        List<List<Object>> rows = new ArrayList<>();
        String inner = text.strip();
        if (inner.regionMatches(true, 0, "EXPLAIN", 0, 7)) {
            inner = inner.substring(7).strip();
        }
        rows.add(List.of("Parse tree: " + SqlParser.parseTree(inner)));
        Statement st = e.statement();
        Query q = st instanceof Statement.Select s ? s.query()
                : st instanceof Statement.CreateStreamAs c ? c.query() : null;
        if (q != null) {
            PlanNode plan = launcher.plan(q).plan();
            rows.add(List.of("Plan:"));
            for (String line : PlanPrinter.lines(plan)) {
                rows.add(List.of("  " + line));
            }
            StringBuilder cols = new StringBuilder();
            for (Column c : plan.columns()) {
                cols.append(cols.length() > 0 ? ", " : "").append(c);
            }
            rows.add(List.of("Output: " + cols));
        } else {
            rows.add(List.of("Statement: " + st));
        }
        return new StatementResult("Explained", null, List.of(new Column("plan", SqlType.STRING)), rows);
    }
}
