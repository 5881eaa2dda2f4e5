package io.sluice.cli.shell;

import io.sluice.cli.shell.ShellBackend.FlowView;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The shell's backslash commands, as FlumeBase had them: {@code \f} lists flows with their counters,
 * {@code \w id} / {@code &#92;u id} watch and unwatch a flow, {@code \d id} drops a flow, {@code \D id}
 * drops it and waits until it has stopped, {@code \c host:port} connects to another server and
 * {@code \disconnect} leaves it (a server's flows keep running), {@code \set k=v} changes a session
 * setting, {@code \h} prints help, {@code \q} quits. The same commands work on a local engine and on
 * a server. Thread-safe (watchers are kept in a concurrent map).
 */
final class ControlCommands {
    static final String HELP = String.join("\n",
            "Statements end with ';' and may span lines. Control commands:",
            "  \\f            list flows with their counters (events in, rows out, rejected, late)",
            "  \\w id         watch flow id: print its rows as they come",
            "  \\u id         stop watching flow id",
            "  \\d id         drop flow id",
            "  \\D id         drop flow id and wait until it has stopped",
            "  \\c host:port  connect to the rtsql server at host:port (sluice shell --connect)",
            "  \\disconnect   leave the server; its flows keep running",
            "  \\set k=v      set a session setting, e.g. \\set rtsql.slack.time=500",
            "  \\h            this help",
            "  \\q            quit (a server's flows keep running)",
            "Statements: CREATE STREAM, SELECT, EXPLAIN, DESCRIBE, SHOW STREAMS|FLOWS|FUNCTIONS, DROP STREAM,",
            "DROP FLOW, SET 'key' = 'value'. A SELECT is watched from the start; \\u or Ctrl-C stops its rows",
            "(the flow keeps running; \\d drops it).");

    /** What a command asks of the shell. */
    enum Outcome { CONTINUE, QUIT }

    /** A watched flow: who prints its rows and how to stop them. */
    private record Watched(FlowWatcher watcher, ShellBackend.Watch watch) {
    }

    private final Session session;
    private final OutputFormat format;
    private final Consumer<String> printer;
    private final Map<Long, Watched> watchers = new ConcurrentHashMap<>();

    ControlCommands(Session session, OutputFormat format, Consumer<String> printer) {
        this.session = requireNonNull(session, "session is null");
        this.format = requireNonNull(format, "format is null");
        this.printer = requireNonNull(printer, "printer is null");
    }

    ControlCommands(RtsqlEngine engine, OutputFormat format, Consumer<String> printer) {
        this(Session.of(new LocalBackend(engine)), format, printer);
    }

    Session session() {
        return session;
    }

    /** A new watcher for a flow about to start; {@link #watching} registers it once the id is known. */
    FlowWatcher newWatcher() {
        return new FlowWatcher(format, printer);
    }

    void watching(FlowView flow, FlowWatcher w, ShellBackend.Watch watch) {
        watchers.put(flow.id(), new Watched(w, watch));
        w.activate(flow.columns());
    }

    /**
     * Stops printing the rows of every watched flow (what Ctrl-C does at the prompt). The flows keep
     * running; the message says how to watch again or drop them.
     */
    void stopWatchingAll() {
        List<Long> running = new ArrayList<>();
        for (Long id : new ArrayList<>(watchers.keySet())) {
            Watched w = watchers.remove(id);
            if (w == null) {
                continue;
            }
            w.watch().stop();
            Optional<FlowView> f;
            try {
                f = session.backend().flow(id);
            } catch (RtsqlException e) {
                f = Optional.empty();
            }
            if (f.isPresent() && f.get().running()) {
                running.add(id);
            }
        }
        if (running.size() == 1) {
            long id = running.get(0);
            printer.accept("stopped watching flow " + id + "; it keeps running (\\w " + id + " watches it again, \\d "
                    + id + " drops it)");
        } else if (!running.isEmpty()) {
            printer.accept("stopped watching flows " + running + "; they keep running (\\w id watches one again, "
                    + "\\d id drops one)");
        }
    }

    /** Runs one control command line, e.g. {@code \w 3}. */
    Outcome run(String line) throws InterruptedException {
        String[] parts = line.strip().split("\\s+", 2);
        String cmd = parts[0];
        String arg = parts.length > 1 ? parts[1].strip() : "";
        try {
            switch (cmd) {
                case "\\q":
                    stopWatchingAll();
                    return Outcome.QUIT;
                case "\\h":
                case "\\?":
                    printer.accept(HELP);
                    return Outcome.CONTINUE;
                case "\\f":
                    printer.accept(flowTable());
                    return Outcome.CONTINUE;
                case "\\set":
                    set(arg);
                    return Outcome.CONTINUE;
                case "\\c":
                case "\\connect":
                    if (arg.isEmpty()) {
                        printer.accept("\\c needs host:port, e.g. \\c 127.0.0.1:9292");
                        return Outcome.CONTINUE;
                    }
                    watchers.clear();
                    printer.accept(session.connect(arg));
                    return Outcome.CONTINUE;
                case "\\disconnect":
                    stopWatchingAll();
                    printer.accept(session.disconnect());
                    return Outcome.CONTINUE;
                case "\\w":
                case "\\u":
                case "\\d":
                case "\\D":
                    Optional<Long> id = flowId(cmd, arg);
                    if (id.isPresent()) {
                        onFlow(cmd, id.get());
                    }
                    return Outcome.CONTINUE;
                default:
                    printer.accept("unknown command '" + cmd + "'; \\h lists the commands");
                    return Outcome.CONTINUE;
            }
        } catch (RtsqlException e) {
            printer.accept(e.getMessage());
            return Outcome.CONTINUE;
        }
    }

    private void onFlow(String cmd, long id) throws RtsqlException {
        ShellBackend backend = session.backend();
        Optional<FlowView> flow = backend.flow(id);
        if (flow.isEmpty()) {
            printer.accept("there is no flow " + id + "; \\f lists the flows");
            return;
        }
        FlowView f = flow.get();
        switch (cmd) {
            case "\\w": {
                if (watchers.containsKey(id)) {
                    printer.accept("already watching flow " + id);
                    return;
                }
                FlowWatcher w = newWatcher();
                ShellBackend.Watch watch = backend.watch(id, w);
                watching(f, w, watch);
                printer.accept("watching flow " + id);
                return;
            }
            case "\\u": {
                Watched w = watchers.remove(id);
                if (w == null) {
                    printer.accept("not watching flow " + id);
                } else {
                    w.watch().stop();
                    printer.accept("stopped watching flow " + id);
                }
                return;
            }
            default: {
                if (!f.running()) {
                    printer.accept("flow " + id + " is " + f.state() + ", not running");
                    return;
                }
                Watched w = watchers.remove(id);
                if (w != null) {
                    w.watch().stop();
                }
                backend.drop(id, cmd.equals("\\D"));
                printer.accept("dropped flow " + id);
            }
        }
    }

    private Optional<Long> flowId(String cmd, String arg) {
        try {
            return Optional.of(Long.parseLong(arg));
        } catch (NumberFormatException e) {
            printer.accept(cmd + " needs a flow id, e.g. '" + cmd + " 1' (\\f lists the flows)");
            return Optional.empty();
        }
    }

    private void set(String arg) throws RtsqlException {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            printer.accept("\\set needs key=value, e.g. \\set rtsql.slack.time=500");
            return;
        }
        String key = arg.substring(0, eq).strip();
        String value = arg.substring(eq + 1).strip();
        printer.accept(session.backend().execute("SET '" + quote(key) + "' = '" + quote(value) + "'", null)
                .result().message());
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** The flows with their counters, one per line, and why any of them waits. */
    String flowTable() throws RtsqlException {
        List<FlowView> flows = session.backend().flows();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%5s  %-8s  %10s  %10s  %9s  %7s  %-7s  %s%n", "id", "state", "events in",
                "rows out", "rejected", "late", "watched", "query"));
        for (FlowView f : flows) {
            sb.append(String.format("%5d  %-8s  %10d  %10d  %9d  %7d  %-7s  %s%n", f.id(), f.state(), f.eventsIn(),
                    f.rowsOut(), f.rejected(), f.late(), watchers.containsKey(f.id()) ? "yes" : "no",
                    Statements.brief(f.query())));
            for (String w : f.waiting()) {
                sb.append("       ").append(w).append('\n');
            }
        }
        if (flows.isEmpty()) {
            sb.append("(no flows)\n");
        }
        return sb.toString().stripTrailing();
    }
}
