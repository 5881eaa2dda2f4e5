package io.sluice.sql;

import io.sluice.api.Event;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.ast.Query;
import io.sluice.sql.ast.Statement;
import io.sluice.sql.format.AvroRows;
import io.sluice.sql.format.EventFormats;
import io.sluice.sql.function.FunctionRegistry;
import io.sluice.sql.parser.ScriptSplitter;
import io.sluice.sql.parser.SqlParser;
import io.sluice.sql.plan.StreamDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The embedded rtsql engine, a facade over its parts: the {@link StreamCatalog} (declared streams),
 * the {@link FlowLauncher} (plans and starts flows), the {@link StatementExecutor} (runs statements)
 * and the {@link Describer} (DESCRIBE, SHOW, EXPLAIN). The shell and the server are two users of it.
 *
 * <p>Thread-safe: statements may come from several threads; catalog changes are serialised on the
 * catalog's monitor (the engine's lock); flows run on their own threads (FILE inputs) or on the
 * threads that push into {@link StreamInput}s, never while holding the engine's lock.
 */
public final class RtsqlEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtsqlEngine.class);

    private final EngineOptions options;
    private final Settings settings = new Settings();
    private final StreamCatalog catalog = new StreamCatalog();
    private final EventSources sources;
    private final FlowLauncher launcher;
    private final StatementExecutor executor;
    private final FlowPool pool;

    public RtsqlEngine(EngineOptions options) {
        this.options = requireNonNull(options, "options is null");
        FunctionRegistry functions = new FunctionRegistry(Thread.currentThread().getContextClassLoader() == null
                ? RtsqlEngine.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
        this.sources = new EventSources(options.eventSources(), options.clock());
        for (Map.Entry<String, String> e : options.settings().entrySet()) {
            String err = settings.set(e.getKey(), e.getValue());
            if (err != null) {
                throw new IllegalArgumentException(err);
            }
        }
        this.pool = new FlowPool(options.flowThreads());
        this.launcher = new FlowLauncher(options, settings, functions, catalog, sources, pool);
        this.executor = new StatementExecutor(catalog, launcher, new Describer(catalog, launcher, functions), settings,
                sources);
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
        return execute(statement, listener, 0);
    }

    /**
     * Runs one statement; a SELECT starts its flow under id {@code flowId} (0: the next free id). A
     * metastore uses this to start the flows it recorded again under their old ids.
     */
    public StatementResult execute(String statement, RowListener listener, long flowId) throws RtsqlException {
        requireNonNull(statement, "statement is null");
        Statement st = SqlParser.parse(statement);
        try {
            return executor.run(st, statement, listener, flowId);
        } catch (RuntimeException e) {
            // a defect, not a user error; the statement fails, the engine and its flows go on
            LOG.error("[rtsql] internal error while running: {}", statement.strip(), e);
            throw new RtsqlException("internal error while running the statement: " + e, e);
        }
    }

    /**
     * Registers a listener told of every stream declared or dropped by a statement and every flow
     * started or ended by one (not of Java-fed streams or of {@link #tapStream} flows): what a
     * metastore records. Flows stopped by {@link #close()} are not reported as ended.
     */
    public void addCatalogListener(CatalogListener listener) {
        catalog.addListener(listener);
    }

    /** The statement that declared each stream, in declaration order (Java-fed streams left out). */
    public Map<String, String> streamStatements() {
        Map<String, String> out = new LinkedHashMap<>();
        for (StreamCatalog.Entry e : catalog.entries()) {
            if (e.statement() != null) {
                out.put(e.def().name(), e.statement());
            }
        }
        return out;
    }

    /**
     * Declares a stream fed from Java: rows (or events, read through {@code format} and
     * {@code properties} like CREATE STREAM's) pushed into the returned {@link StreamInput} go to
     * every flow reading the stream. Such a stream ends only when {@link StreamInput#end()} is called.
     *
     * @throws RtsqlException if the name is taken or the format or properties are wrong
     */
    public StreamInput createInputStream(String name, List<Column> columns, String format,
            Map<String, String> properties) throws RtsqlException {
        requireNonNull(name, "name is null");
        String n = name.toLowerCase(Locale.ROOT);
        synchronized (catalog) {
            if (launcher.isClosed()) {
                throw new RtsqlException("the engine is closed");
            }
            catalog.checkNewName(Pos.NONE, n);
            List<String> problems = EventFormats.check(format, properties, columns);
            if (!problems.isEmpty()) {
                throw new RtsqlException(0, 0, problems);
            }
            String ts = properties.get(EventFormats.TIMESTAMP_COL);
            int tsCol = ts == null ? -1 : EventFormats.indexOf(columns, ts);
            StreamDef def = new StreamDef(n, columns, StreamDef.Kind.INPUT, "java", format, properties, Map.of(), null,
                    null, tsCol);
            StreamInput in = new StreamInput(n, columns, EventFormats.parser(format, properties, columns), tsCol,
                    options.clock(), FlowMailbox.Overflow.BLOCK);
            catalog.add(def, null, Set.of());
            catalog.inputs().put(n, in);
            return in;
        }
    }

    /** {@link #createInputStream(String, List, String, Map)} with format {@code delimited} and no properties. */
    public StreamInput createInputStream(String name, List<Column> columns) throws RtsqlException {
        return createInputStream(name, columns, "delimited", Map.of());
    }

    /** The input of a stream made by {@link #createInputStream}. */
    public Optional<StreamInput> inputStream(String name) {
        return catalog.input(name);
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
        return launcher.start(q, text, null, flow -> flow.subscribe(row -> {
            Object[] v = new Object[row.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = row.value(i);
            }
            byte[] body = AvroRows.encode(schema, flow.columns(), v);
            sink.accept(Event.wrap(Map.of("timestamp", Long.toString(row.eventTime())), body));
        }), 0, false);
    }

    /**
     * Starts a transient flow for one client (a push query): like a SELECT statement, but catalog
     * listeners do not hear of it, so a metastore does not keep it; the caller drops it when its
     * client goes away.
     *
     * @throws RtsqlException if {@code select} is not one valid SELECT
     */
    public Flow query(String select, RowListener listener) throws RtsqlException {
        requireNonNull(select, "select is null");
        Statement st = SqlParser.parse(select);
        if (!(st instanceof Statement.Select s)) {
            throw new RtsqlException(st.pos().line(), st.pos().column(), "only a SELECT can be a query; run other"
                    + " statements as statements");
        }
        try {
            return launcher.start(s.query(), s.text().strip(), listener, null, 0, false);
        } catch (RuntimeException e) {
            LOG.error("[rtsql] internal error while running: {}", select.strip(), e);
            throw new RtsqlException("internal error while running the query: " + e, e);
        }
    }

    /** The definition of stream {@code name}, if it exists. */
    public Optional<StreamDef> stream(String name) {
        return catalog.stream(name);
    }

    /**
     * Why the source of stream {@code name} gets no events now (a METRICS stream whose query API does
     * not answer yet), as its provider says it ({@link WaitingSource}); empty while it reads, or when
     * no flow reads the stream.
     */
    public Optional<String> waitingReason(String name) {
        return Optional.ofNullable(sources.waitingReason(name));
    }

    /**
     * Why flow {@code id} gets no events from some of its streams now: one {@code "stream <name>:
     * <why>"} per waiting stream (a NODE stream whose agent has not registered, a METRICS stream
     * whose query API does not answer), sorted by stream name; empty while it reads, when it does not
     * run, or when there is no such flow. {@code SHOW FLOWS} shows the same in its {@code waiting}
     * column.
     */
    public List<String> flowWaiting(long id) {
        return launcher.flow(id).map(launcher::waiting).orElse(List.of());
    }

    /** The streams flow {@code id} reads, directly or through derived streams (empty if unknown). */
    public Set<String> streamsReadBy(long id) {
        return launcher.streamsReadBy(id);
    }

    /** The Avro record schema of stream {@code name}'s rows. */
    public Schema avroSchema(String name) throws RtsqlException {
        StreamDef d = catalog.require(Pos.NONE, name).def();
        return AvroRows.schema(name, d.columns());
    }

    /** The columns of stream {@code name}, if it exists. */
    public Optional<List<Column>> streamColumns(String name) {
        return catalog.stream(name).map(StreamDef::columns);
    }

    public Optional<Flow> flow(long id) {
        return launcher.flow(id);
    }

    /** Every flow started by this engine, running or not, by id. */
    public List<Flow> flows() {
        return launcher.flows();
    }

    public void dropFlow(long id) throws RtsqlException {
        launcher.drop(id, Pos.NONE);
    }

    /** Stops every flow. Idempotent. */
    @Override
    public void close() {
        launcher.close();
        pool.close();
    }

    /** The threads flows run on (0: each flow runs on the thread that delivers its input). */
    public int flowThreads() {
        return pool.threads();
    }

    /** The current value of a session setting, or null. */
    public String setting(String key) {
        return settings.get(key);
    }
}
