package io.sluice.sql;

import io.sluice.sql.analyzer.Analysis;
import io.sluice.sql.analyzer.Analyzer;
import io.sluice.sql.analyzer.Planner;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.ast.Query;
import io.sluice.sql.exec.FlowStats;
import io.sluice.sql.format.EventFormats;
import io.sluice.sql.function.FunctionRegistry;
import io.sluice.sql.plan.PlanNode;
import io.sluice.sql.plan.StreamDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Turns a query into a running flow: analyzes and plans it against the catalog, builds its
 * operators, checks and opens its inputs (files, Java inputs, NODE and SOURCE providers), and keeps
 * every flow it started by id.
 *
 * <p>Thread-safe: planning and wiring happen under the catalog's monitor (the engine's lock);
 * subscribing, opening sources and starting file threads happen after it is released.
 */
final class FlowLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(FlowLauncher.class);

    private final EngineOptions options;
    private final Settings settings;
    private final FunctionRegistry functions;
    private final StreamCatalog catalog;
    private final EventSources sources;
    private final FlowPool pool;
    private final Map<Long, Flow> flows = new ConcurrentSkipListMap<>();
    private final Map<Long, Set<String>> flowStreams = new ConcurrentSkipListMap<>();
    private final AtomicLong nextFlowId = new AtomicLong(1);
    private volatile boolean closed;

    FlowLauncher(EngineOptions options, Settings settings, FunctionRegistry functions, StreamCatalog catalog,
            EventSources sources, FlowPool pool) {
        this.options = requireNonNull(options, "options is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.sources = requireNonNull(sources, "sources is null");
        this.pool = requireNonNull(pool, "pool is null");
    }

    /** Analyzes and plans {@code q} against the catalog as it is now; the caller may hold its lock. */
    PlanPlusStreams plan(Query q) throws RtsqlException {
        synchronized (catalog) {
            Analysis analysis = new Analyzer(catalog, functions, options.clock(), settings.buckets()).analyze(q);
            return new PlanPlusStreams(Planner.plan(analysis), analysis.referencedStreams());
        }
    }

    /** A query's plan and every stream it reads. */
    record PlanPlusStreams(PlanNode plan, Set<String> streams) {
    }

    /**
     * Starts a flow.
     *
     * @param id          the flow's id, or 0 for the next free one (a metastore restores flows under
     *                    their old ids)
     * @param persistent  whether catalog listeners hear of it (false for flows made for sinks)
     * @param beforeStart called with the flow before its inputs open (subscribe listeners here)
     */
    Flow start(Query q, String text, RowListener listener, Consumer<Flow> beforeStart, long id, boolean persistent)
            throws RtsqlException {
        Flow flow;
        List<FileFeeder.Input> files = new ArrayList<>();
        List<Runnable> subscriptions = new ArrayList<>();
        List<Runnable> openers = new ArrayList<>();
        List<String> kafkaWarnings = List.of();
        synchronized (catalog) {
            if (closed) {
                throw new RtsqlException("the engine is closed");
            }
            PlanPlusStreams planned = plan(q);
            PlanNode plan = planned.plan();
            long flowId = id > 0 ? id : nextFlowId.get();
            if (flows.containsKey(flowId)) {
                throw new RtsqlException("flow " + flowId + " already exists");
            }
            FlowStats stats = new FlowStats("flow " + flowId);
            FlowBuilder fb = new FlowBuilder(stats, sources::isFinite);
            Flow[] holder = new Flow[1];
            fb.build(plan, (r, t) -> holder[0].emit(r, t));
            for (FlowBuilder.ScanSlot s : fb.scans) {
                StreamDef d = s.scan().stream();
                switch (d.kind()) {
                    case FILE:
                        files.add(fileInput(q.pos(), s, d));
                        break;
                    case INPUT:
                    case DERIVED:
                        break;
                    case KAFKA:
                        checkKafkaReader(q.pos(), d, fb.scans.size());
                        if (sources.provider(d) == null) {
                            throw noProvider(q.pos(), d);
                        }
                        break;
                    default:
                        if (sources.provider(d) == null) {
                            throw noProvider(q.pos(), d);
                        }
                }
            }
            nextFlowId.set(Math.max(nextFlowId.get(), flowId + 1));
            boolean kafka = fb.scans.stream().anyMatch(s -> s.scan().stream().kind() == StreamDef.Kind.KAFKA);
            // A KAFKA stream's reader commits offsets from the flow's progress right after a push, so
            // its one flow works on the reader's thread: a row queued for the pool would be taken as
            // emitted and its offset committed before its window saw it.
            FlowMailbox mailbox = kafka ? pool.inlineMailbox("flow " + flowId, options.flowQueueRows())
                    : pool.mailbox("flow " + flowId, options.flowQueueRows(), options.flowQueueWaitMillis());
            flow = new Flow(flowId, text, plan.columns(), fb.operators, fb.watermarkOperators, fb.slots,
                    settings.slack(), stats, mailbox);
            holder[0] = flow;
            if (kafka) {
                kafkaWarnings = KafkaKeyCheck.warnings(plan);
                Flow parent = flow;
                flow.partitionedBy(() -> {
                    FlowBuilder copy = new FlowBuilder(stats, sources::isFinite);
                    copy.build(plan, parent::emit);
                    return copy;
                });
            }
            if (listener != null) {
                flow.subscribe(listener);
            }
            flows.put(flowId, flow);
            flowStreams.put(flowId, planned.streams());
            for (FlowBuilder.ScanSlot s : fb.scans) {
                StreamDef d = s.scan().stream();
                StreamInput in;
                if (d.kind() == StreamDef.Kind.NODE || d.kind() == StreamDef.Kind.SOURCE
                        || d.kind() == StreamDef.Kind.METRICS || d.kind() == StreamDef.Kind.KAFKA) {
                    in = sources.input(d, flow, openers, catalog.inputs(), catalog);
                } else if (d.kind() == StreamDef.Kind.INPUT) {
                    in = catalog.inputs().get(d.name());
                } else {
                    continue;
                }
                StreamInput.Subscriber sub = new StreamInput.Subscriber(flow, s.slot(),
                        s.scan().headers().toArray(new String[0]));
                subscriptions.add(() -> in.subscribe(sub));
                flow.onStop(() -> in.unsubscribe(flow));
            }
            if (persistent) {
                for (CatalogListener l : catalog.listeners()) {
                    l.flowStarted(flowId, text);
                }
                flow.onStop(() -> {
                    if (!closed) {
                        for (CatalogListener l : catalog.listeners()) {
                            l.flowEnded(flowId, flow.state());
                        }
                    }
                });
            }
        }
        if (beforeStart != null) {
            beforeStart.accept(flow);
        }
        LOG.info("[flow {}] started: {}", flow.id(), text);
        flow.warnings(kafkaWarnings);
        for (String w : kafkaWarnings) {
            LOG.warn("[flow {}] {}", flow.id(), w);
        }
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

    private FileFeeder.Input fileInput(Pos pos, FlowBuilder.ScanSlot s, StreamDef d) throws RtsqlException {
        Path p = options.baseDirectory().resolve(d.target());
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new RtsqlException(pos.line(), pos.column(), "file '" + p + "' of stream '" + d.name() + "' "
                    + (Files.exists(p) ? "cannot be read" : "does not exist")
                    + "; fix the path (relative paths start at " + options.baseDirectory() + ")");
        }
        return new FileFeeder.Input(s.slot(), d.name(), p, d.format(),
                d.formatProperties().getOrDefault("delimiter", ","),
                EventFormats.parser(d.format(), d.formatProperties(), d.columns()), d.timestampColumn(),
                s.scan().headers().size());
    }

    /**
     * A KAFKA stream keeps window state per partition and commits the consumer group's offsets as
     * its one reading flow emits windows: so a flow reading it reads nothing else, and only one flow
     * reads it at a time. The caller holds the catalog lock.
     */
    private void checkKafkaReader(Pos pos, StreamDef d, int scans) throws RtsqlException {
        if (scans > 1) {
            throw new RtsqlException(pos.line(), pos.column(), "stream '" + d.name() + "' reads KAFKA TOPIC '"
                    + d.target() + "', whose window state is kept per partition: a query reading it may read no"
                    + " other stream (no joins, not even with itself); aggregate it in one query and join the"
                    + " result through CREATE STREAM ... AS SELECT over another stream");
        }
        if (catalog.inputs().containsKey(d.name())) {
            throw new RtsqlException(pos.line(), pos.column(), "stream '" + d.name() + "' reads KAFKA TOPIC '"
                    + d.target() + "' and a running flow already reads it (the stream's consumer group offsets"
                    + " follow that flow's windows); drop that flow first, or declare another stream over the"
                    + " topic with another 'group.id'");
        }
    }

    private static RtsqlException noProvider(Pos pos, StreamDef d) {
        if (d.kind() == StreamDef.Kind.METRICS) {
            return new RtsqlException(pos.line(), pos.column(), "stream '" + d.name() + "' reads METRICS '"
                    + d.target() + "', but no metrics stream reader is installed (module sluice-sql-agent, which"
                    + " the sluice shell and server include); put its jar on the class path");
        }
        if (d.kind() == StreamDef.Kind.KAFKA) {
            return new RtsqlException(pos.line(), pos.column(), "stream '" + d.name() + "' reads KAFKA TOPIC '"
                    + d.target() + "', but no Kafka reader is installed: put the sluice-sql-kafka module on the"
                    + " class path (the Sluice distribution has it in lib/)");
        }
        return new RtsqlException(pos.line(), pos.column(), "stream '" + d.name() + "' reads from " + d.kind() + " '"
                + d.target() + "': " + (d.kind() == StreamDef.Kind.NODE
                        ? "NODE streams need a host that taps agents (the Sluice server); they are"
                        : "no event source of type '" + d.target() + "' is installed (built in: seq;"
                                + " the agent's source types, netcat among them, come with the"
                                + " sluice-sql-agent module, which the Sluice distribution has in lib/); such"
                                + " streams are")
                + " not yet supported in local mode. Use a FILE stream, or feed the events through"
                + " RtsqlEngine.createInputStream");
    }

    Optional<Flow> flow(long id) {
        return Optional.ofNullable(flows.get(id));
    }

    List<Flow> flows() {
        return List.copyOf(flows.values());
    }

    Set<String> streamsReadBy(long id) {
        Set<String> s = flowStreams.get(id);
        return s == null ? Set.of() : s;
    }

    /**
     * Why running flow {@code f} gets no events from some of its streams now, one
     * {@code "stream <name>: <why>"} per waiting stream, sorted by stream name (the reasons the
     * streams' sources give, {@link WaitingSource}); empty while every stream reads, or when the flow
     * does not run.
     */
    List<String> waiting(Flow f) {
        List<String> out = new ArrayList<>();
        if (f.state() != Flow.State.RUNNING) {
            return out;
        }
        for (String s : new TreeSet<>(streamsReadBy(f.id()))) {
            String why = sources.waitingReason(s);
            if (why != null) {
                out.add("stream " + s + ": " + why);
            }
        }
        return out;
    }

    /** Running flows that read {@code stream}, directly or through derived streams. */
    List<Long> runningReaders(String stream) {
        List<Long> readers = new ArrayList<>();
        for (Map.Entry<Long, Set<String>> e : flowStreams.entrySet()) {
            Flow f = flows.get(e.getKey());
            if (f != null && f.state() == Flow.State.RUNNING && e.getValue().contains(stream)) {
                readers.add(e.getKey());
            }
        }
        return readers;
    }

    void drop(long id, Pos pos) throws RtsqlException {
        Flow f = flows.get(id);
        if (f == null) {
            throw new RtsqlException(pos.line(), pos.column(), "flow " + id + " does not exist; SHOW FLOWS lists them");
        }
        if (f.state() != Flow.State.RUNNING) {
            throw new RtsqlException(pos.line(), pos.column(), "flow " + id + " is " + f.state() + ", not running");
        }
        f.drop();
        LOG.info("[flow {}] dropped", id);
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops every flow without telling listeners (they keep the flows for the next start). */
    void close() {
        synchronized (catalog) {
            closed = true;
        }
        for (Flow f : flows.values()) {
            f.drop();
        }
        sources.closeAll();
    }
}
