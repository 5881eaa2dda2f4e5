package io.sluice.sql;

import io.sluice.api.Event;
import io.sluice.api.text.DidYouMean;
import io.sluice.sql.analyzer.Analyzer;
import io.sluice.sql.analyzer.Catalog;
import io.sluice.sql.ast.ColumnDef;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.ast.Query;
import io.sluice.sql.ast.Statement;
import io.sluice.sql.exec.FlowStats;
import io.sluice.sql.format.AvroRows;
import io.sluice.sql.format.EventFormats;
import io.sluice.sql.function.FunctionRegistry;
import io.sluice.sql.parser.ScriptSplitter;
import io.sluice.sql.parser.SqlParser;
import io.sluice.sql.plan.PlanNode;
import io.sluice.sql.plan.PlanPrinter;
import io.sluice.sql.plan.StreamDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The embedded rtsql engine: takes statements, keeps the catalog of streams and the session
 * settings, and runs flows. The shell and the server are two users of it.
 *
 * <p>Thread-safe: statements may come from several threads; catalog changes are serialised on the
 * engine's lock ({@code this}); flows run on their own threads (FILE inputs) or on the threads that
 * push into {@link StreamInput}s, never while holding the engine's lock.
 */
public final class RtsqlEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtsqlEngine.class);

    private final EngineOptions options;
    private final Settings settings = new Settings();
    private final FunctionRegistry functions;
    private final Map<String, StreamDef> streams = new LinkedHashMap<>();
    private final Map<String, StreamInput> inputs = new HashMap<>();
    private final Map<String, Set<String>> derivedDeps = new HashMap<>();
    private final Map<Long, Flow> flows = new ConcurrentSkipListMap<>();
    private final Map<Long, Set<String>> flowStreams = new ConcurrentSkipListMap<>();
    private final AtomicLong nextFlowId = new AtomicLong(1);
    private final EventSources sources;
    private boolean closed;

    public RtsqlEngine(EngineOptions options) {
        this.options = requireNonNull(options, "options is null");
        this.functions = new FunctionRegistry(Thread.currentThread().getContextClassLoader() == null
                ? RtsqlEngine.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
        this.sources = new EventSources(options.eventSources(), options.clock());
        for (Map.Entry<String, String> e : options.settings().entrySet()) {
            String err = settings.set(e.getKey(), e.getValue());
            if (err != null) {
                throw new IllegalArgumentException(err);
            }
        }
    }

    /** An engine with {@link EngineOptions#defaults()}. */
    public RtsqlEngine() {
        this(EngineOptions.defaults());
    }

    /**
     * Splits a script at top-level {@code ;} (not inside strings, quoted identifiers or comments).
     * Each statement is padded with the line breaks and spaces that precede it in the script, so
     * error positions from {@link #execute} are positions in the script; blank statements are
     * dropped.
     */
    public static List<String> splitStatements(String script) throws RtsqlException {
        return ScriptSplitter.split(requireNonNull(script, "script is null"));
    }

    public StatementResult execute(String statement) throws RtsqlException {
        return execute(statement, null);
    }

    /**
     * Runs one statement. For a SELECT, {@code listener} (may be null) is subscribed before the flow
     * starts, so it sees every row.
     */
    public StatementResult execute(String statement, RowListener listener) throws RtsqlException {
        requireNonNull(statement, "statement is null");
        Statement st = SqlParser.parse(statement);
        try {
            return run(st, statement, listener);
        } catch (RuntimeException e) {
            // a defect, not a user error; the statement fails, the engine and its flows go on
            LOG.error("[rtsql] internal error while running: {}", statement.strip(), e);
            throw new RtsqlException("internal error while running the statement: " + e, e);
        }
    }

    private StatementResult run(Statement st, String text, RowListener listener) throws RtsqlException {
        if (st instanceof Statement.CreateStream c) {
            return createStream(c);
        }
        if (st instanceof Statement.CreateStreamAs c) {
            return createStreamAs(c);
        }
        if (st instanceof Statement.Select s) {
            return select(s.query(), s.text(), listener);
        }
        if (st instanceof Statement.Explain e) {
            return explain(e, text);
        }
        if (st instanceof Statement.Describe d) {
            return describe(d);
        }
        if (st instanceof Statement.Show s) {
            return show(s);
        }
        if (st instanceof Statement.DropStream d) {
            return dropStream(d);
        }
        if (st instanceof Statement.DropFlow d) {
            dropFlow(d.id(), d.pos());
            return StatementResult.message("Flow " + d.id() + " dropped");
        }
        Statement.Set s = (Statement.Set) st;
        String err = settings.set(s.key(), s.value());
        if (err != null) {
            throw new RtsqlException(s.pos().line(), s.pos().column(), err);
        }
        return StatementResult.message("Set " + s.key() + " = " + s.value());
    }

    // ---- catalog ----

    private final Catalog catalog = new Catalog() {
        @Override
        public Optional<StreamDef> stream(String name) {
            synchronized (RtsqlEngine.this) {
                return Optional.ofNullable(streams.get(name));
            }
        }

        @Override
        public Collection<String> streamNames() {
            synchronized (RtsqlEngine.this) {
                return List.copyOf(streams.keySet());
            }
        }
    };

    private static RtsqlException error(Pos pos, String message) {
        return new RtsqlException(pos.line(), pos.column(), message);
    }

    private void checkNewName(Pos pos, String name) throws RtsqlException {
        if (streams.containsKey(name)) {
            throw error(pos, "stream '" + name + "' already exists; DROP STREAM " + name + " first, or choose another name");
        }
    }

    private synchronized StatementResult createStream(Statement.CreateStream c) throws RtsqlException {
        checkOpen();
        checkNewName(c.pos(), c.name());
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
        if (!problems.isEmpty()) {
            throw new RtsqlException(c.pos().line(), c.pos().column(), problems);
        }
        String ts = c.formatProperties().get(EventFormats.TIMESTAMP_COL);
        int tsCol = ts == null ? -1 : EventFormats.indexOf(cols, ts);
        StreamDef.Kind kind = StreamDef.Kind.valueOf(c.sourceKind().name());
        streams.put(c.name(), new StreamDef(c.name(), cols, kind, c.target(), c.format(), c.formatProperties(),
                c.sourceProperties(), null, null, tsCol));
        return StatementResult.message("Stream " + c.name() + " created");
    }

    private synchronized StatementResult createStreamAs(Statement.CreateStreamAs c) throws RtsqlException {
        checkOpen();
        checkNewName(c.pos(), c.name());
        Analyzer a = new Analyzer(catalog, functions, options.clock(), settings.buckets());
        PlanNode plan = a.analyze(c.query());
        Set<String> names = new HashSet<>();
        for (Column col : plan.columns()) {
            if (!names.add(col.name())) {
                throw error(c.query().pos(), "column name '" + col.name() + "' appears twice in the output of stream '"
                        + c.name() + "'; give one an alias with AS");
            }
        }
        streams.put(c.name(), new StreamDef(c.name(), plan.columns(), StreamDef.Kind.DERIVED, "", "avro", Map.of(),
                Map.of(), c.query(), c.queryText().strip(), -1));
        derivedDeps.put(c.name(), a.referencedStreams());
        return new StatementResult("Stream " + c.name() + " created", null, plan.columns(), List.of());
    }

    private synchronized StatementResult dropStream(Statement.DropStream d) throws RtsqlException {
        checkOpen();
        if (!streams.containsKey(d.name())) {
            throw error(d.pos(), "stream '" + d.name() + "' does not exist" + DidYouMean.suggest(d.name(), streams.keySet()));
        }
        List<Long> readers = new ArrayList<>();
        for (Map.Entry<Long, Set<String>> e : flowStreams.entrySet()) {
            Flow f = flows.get(e.getKey());
            if (f != null && f.state() == Flow.State.RUNNING && e.getValue().contains(d.name())) {
                readers.add(e.getKey());
            }
        }
        if (!readers.isEmpty()) {
            throw error(d.pos(), "stream '" + d.name() + "' is read by running flow" + (readers.size() > 1 ? "s " : " ")
                    + readers + "; DROP FLOW " + readers.get(0) + " first");
        }
        for (Map.Entry<String, Set<String>> e : derivedDeps.entrySet()) {
            if (!e.getKey().equals(d.name()) && e.getValue().contains(d.name())) {
                throw error(d.pos(), "stream '" + e.getKey() + "' is defined from stream '" + d.name()
                        + "'; DROP STREAM " + e.getKey() + " first");
            }
        }
        streams.remove(d.name());
        derivedDeps.remove(d.name());
        sources.close(d.name());
        StreamInput in = inputs.remove(d.name());
        if (in != null) {
            in.end();
        }
        return StatementResult.message("Stream " + d.name() + " dropped");
    }

    /**
     * Declares a stream fed from Java: rows (or events, read through {@code format} and
     * {@code properties} like CREATE STREAM's) pushed into the returned {@link StreamInput} go to
     * every flow reading the stream. Such a stream ends only when {@link StreamInput#end()} is called.
     *
     * @throws RtsqlException if the name is taken or the format or properties are wrong
     */
    public synchronized StreamInput createInputStream(String name, List<Column> columns, String format,
            Map<String, String> properties) throws RtsqlException {
        checkOpen();
        requireNonNull(name, "name is null");
        String n = name.toLowerCase(Locale.ROOT);
        checkNewName(Pos.NONE, n);
        List<String> problems = EventFormats.check(format, properties, columns);
        if (!problems.isEmpty()) {
            throw new RtsqlException(0, 0, problems);
        }
        String ts = properties.get(EventFormats.TIMESTAMP_COL);
        int tsCol = ts == null ? -1 : EventFormats.indexOf(columns, ts);
        StreamDef def = new StreamDef(n, columns, StreamDef.Kind.INPUT, "java", format, properties, Map.of(), null,
                null, tsCol);
        StreamInput in = new StreamInput(n, columns, EventFormats.parser(format, properties, columns), tsCol,
                options.clock());
        streams.put(n, def);
        inputs.put(n, in);
        return in;
    }

    /** {@link #createInputStream(String, List, String, Map)} with format {@code delimited} and no properties. */
    public StreamInput createInputStream(String name, List<Column> columns) throws RtsqlException {
        return createInputStream(name, columns, "delimited", Map.of());
    }

    /** The input of a stream made by {@link #createInputStream}. */
    public synchronized Optional<StreamInput> inputStream(String name) {
        return Optional.ofNullable(inputs.get(name));
    }

    // ---- flows ----

    private StatementResult select(Query q, String text, RowListener listener) throws RtsqlException {
        Flow flow = startFlow(q, text.strip(), listener, null);
        return new StatementResult("Started flow " + flow.id(), flow, flow.columns(), List.of());
    }

    private Flow startFlow(Query q, String text, RowListener listener, Consumer<Flow> beforeStart) throws RtsqlException {
        Flow flow;
        List<FileFeeder.Input> files = new ArrayList<>();
        List<Runnable> subscriptions = new ArrayList<>();
        List<Runnable> openers = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            Analyzer analyzer = new Analyzer(catalog, functions, options.clock(), settings.buckets());
            PlanNode plan = analyzer.analyze(q);
            long id = nextFlowId.get();
            FlowStats stats = new FlowStats("flow " + id);
            FlowBuilder fb = new FlowBuilder(stats, sources::isFinite);
            Flow[] holder = new Flow[1];
            fb.build(plan, (r, t) -> holder[0].emit(r, t));
            // check the inputs before anything starts
            for (FlowBuilder.ScanSlot s : fb.scans) {
                StreamDef d = s.scan().stream();
                switch (d.kind()) {
                    case FILE: {
                        Path p = options.baseDirectory().resolve(d.target());
                        if (!Files.isReadable(p) || Files.isDirectory(p)) {
                            throw error(q.pos(), "file '" + p + "' of stream '" + d.name() + "' "
                                    + (Files.exists(p) ? "cannot be read" : "does not exist")
                                    + "; fix the path (relative paths start at " + options.baseDirectory() + ")");
                        }
                        files.add(new FileFeeder.Input(s.slot(), d.name(), p, d.format(),
                                d.formatProperties().getOrDefault("delimiter", ","), EventFormats.parser(d.format(), d.formatProperties(), d.columns()), d.timestampColumn(),
                                s.scan().headers().size()));
                        break;
                    }
                    case INPUT:
                    case DERIVED:
                        break;
                    default:
                        if (sources.provider(d) == null) {
                            throw error(q.pos(), "stream '" + d.name() + "' reads from " + d.kind() + " '" + d.target()
                                    + "': " + (d.kind() == StreamDef.Kind.NODE
                                            ? "NODE streams need a host that taps agents (the Sluice server); they are"
                                            : "no event source of type '" + d.target() + "' is installed (built in: seq,"
                                                    + " netcat); such streams are")
                                    + " not yet supported in local mode. Use a FILE stream, or feed the events through"
                                    + " RtsqlEngine.createInputStream");
                        }
                }
            }
            nextFlowId.incrementAndGet();
            flow = new Flow(id, text, plan.columns(), fb.operators, fb.watermarkOperators, fb.slots, settings.slack(),
                    stats);
            holder[0] = flow;
            if (listener != null) {
                flow.subscribe(listener);
            }
            flows.put(id, flow);
            flowStreams.put(id, analyzer.referencedStreams());
            for (FlowBuilder.ScanSlot s : fb.scans) {
                StreamDef d = s.scan().stream();
                if (d.kind() == StreamDef.Kind.NODE || d.kind() == StreamDef.Kind.SOURCE) {
                    StreamInput in = sources.input(d, flow, openers, inputs, this);
                    StreamInput.Subscriber sub = new StreamInput.Subscriber(flow, s.slot(),
                            s.scan().headers().toArray(new String[0]));
                    subscriptions.add(() -> in.subscribe(sub));
                    flow.onStop(() -> in.unsubscribe(flow));
                } else if (d.kind() == StreamDef.Kind.INPUT) {
                    StreamInput in = inputs.get(d.name());
                    StreamInput.Subscriber sub = new StreamInput.Subscriber(flow, s.slot(),
                            s.scan().headers().toArray(new String[0]));
                    subscriptions.add(() -> in.subscribe(sub));
                    flow.onStop(() -> in.unsubscribe(flow));
                }
            }
        }
        if (beforeStart != null) {
            beforeStart.accept(flow);
        }
        LOG.info("[flow {}] started: {}", flow.id(), text);
        for (Runnable r : subscriptions) {
            r.run();
        }
        for (Runnable r : openers) {
            try {
                r.run();
            } catch (RuntimeException e) {
                flow.fail(e);
                throw new RtsqlException(q.pos().line(), q.pos().column(), e.getMessage());
            }
        }
        if (!files.isEmpty()) {
            Thread t = new Thread(new FileFeeder(flow, files, options.clock()), "rtsql-flow-" + flow.id());
            t.setDaemon(true);
            t.start();
        }
        return flow;
    }

    /**
     * Starts a flow that reads stream {@code name} and hands each row to {@code sink} as an event:
     * the row as an Avro binary record body (schema: {@link #avroSchema(String)}), with a
     * {@code timestamp} header holding the row's event time. This is how sinks deliver a
     * {@code CREATE STREAM x AS SELECT} stream.
     */
    public Flow tapStream(String name, Consumer<Event> sink) throws RtsqlException {
        requireNonNull(sink, "sink is null");
        Schema schema = avroSchema(name);
        String text = "SELECT * FROM \"" + name + "\"";
        Query q = ((Statement.Select) SqlParser.parse(text)).query();
        Flow[] f = new Flow[1];
        return startFlow(q, text, null, flow -> {
            f[0] = flow;
            flow.subscribe(row -> {
                Object[] v = new Object[row.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = row.value(i);
                }
                byte[] body = AvroRows.encode(schema, flow.columns(), v);
                sink.accept(Event.wrap(Map.of("timestamp", Long.toString(row.eventTime())), body));
            });
        });
    }

    /** The Avro record schema of stream {@code name}'s rows. */
    public synchronized Schema avroSchema(String name) throws RtsqlException {
        StreamDef d = streams.get(name);
        if (d == null) {
            throw new RtsqlException("stream '" + name + "' does not exist" + DidYouMean.suggest(name, streams.keySet()));
        }
        return AvroRows.schema(name, d.columns());
    }

    public Optional<Flow> flow(long id) {
        return Optional.ofNullable(flows.get(id));
    }

    /** Every flow started by this engine, running or not, by id. */
    public List<Flow> flows() {
        return List.copyOf(flows.values());
    }

    public void dropFlow(long id) throws RtsqlException {
        dropFlow(id, Pos.NONE);
    }

    private void dropFlow(long id, Pos pos) throws RtsqlException {
        Flow f = flows.get(id);
        if (f == null) {
            throw error(pos, "flow " + id + " does not exist; SHOW FLOWS lists them");
        }
        if (f.state() != Flow.State.RUNNING) {
            throw error(pos, "flow " + id + " is " + f.state() + ", not running");
        }
        f.drop();
        LOG.info("[flow {}] dropped", id);
    }

    /** Stops every flow. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Flow f : flows.values()) {
            f.drop();
        }
        sources.closeAll();
    }

    private void checkOpen() throws RtsqlException {
        if (closed) {
            throw new RtsqlException("the engine is closed");
        }
    }

    /** The current value of a session setting, or null. */
    public String setting(String key) {
        return settings.get(key);
    }

    // ---- DESCRIBE, SHOW, EXPLAIN ----

    private synchronized StatementResult describe(Statement.Describe d) throws RtsqlException {
        StreamDef s = streams.get(d.name());
        if (s != null) {
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
        List<String> all = new ArrayList<>(streams.keySet());
        all.addAll(functions.names());
        throw error(d.pos(), "no stream or function is named '" + d.name() + "'" + DidYouMean.suggest(d.name(), all));
    }

    private StatementResult show(Statement.Show s) {
        List<List<Object>> rows = new ArrayList<>();
        switch (s.what()) {
            case "streams":
                synchronized (this) {
                    for (StreamDef d : streams.values()) {
                        StringBuilder cols = new StringBuilder();
                        for (Column c : d.columns()) {
                            cols.append(cols.length() > 0 ? ", " : "").append(c);
                        }
                        rows.add(List.of(d.name(), d.describeSource(), cols.toString()));
                    }
                }
                return new StatementResult(rows.size() + " stream(s)", null, List.of(new Column("name", SqlType.STRING),
                        new Column("source", SqlType.STRING), new Column("columns", SqlType.STRING)), rows);
            case "flows":
                for (Flow f : flows.values()) {
                    FlowCounters c = f.counters();
                    rows.add(List.of(f.id(), f.state().name(), c.eventsIn(), c.rowsOut(), c.rejected(), c.late(), f.query()));
                }
                return new StatementResult(rows.size() + " flow(s)", null, List.of(new Column("id", SqlType.BIGINT),
                        new Column("state", SqlType.STRING), new Column("events_in", SqlType.BIGINT),
                        new Column("rows_out", SqlType.BIGINT), new Column("rejected", SqlType.BIGINT),
                        new Column("late", SqlType.BIGINT), new Column("query", SqlType.STRING)), rows);
            default:
                rows.addAll(functions.describeAll());
                return new StatementResult(rows.size() + " function(s)", null, List.of(new Column("name", SqlType.STRING),
                        new Column("kind", SqlType.STRING), new Column("signature", SqlType.STRING)), rows);
        }
    }

    private StatementResult explain(Statement.Explain e, String text) throws RtsqlException {
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
            PlanNode plan;
            synchronized (this) {
                plan = new Analyzer(catalog, functions, options.clock(), settings.buckets()).analyze(q);
            }
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
