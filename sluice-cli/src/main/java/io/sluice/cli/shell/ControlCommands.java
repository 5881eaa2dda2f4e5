package io.sluice.cli.shell;

import io.sluice.sql.Flow;
import io.sluice.sql.FlowCounters;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import java.time.Duration;
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
 * drops it and waits until it has stopped, {@code \set k=v} changes a session setting, {@code \h}
 * prints help, {@code \q} quits. Thread-safe (watchers are kept in a concurrent map).
 */
final class ControlCommands {
    static final String HELP = String.join("\n",
            "Statements end with ';' and may span lines. Control commands:",
            "  \\f          list flows with their counters (events in, rows out, rejected, late)",
            "  \\w id       watch flow id: print its rows as they come",
            "  \\u id       stop watching flow id",
            "  \\d id       drop flow id",
            "  \\D id       drop flow id and wait until it has stopped",
            "  \\set k=v    set a session setting, e.g. \\set rtsql.slack.time=500",
            "  \\h          this help",
            "  \\q          quit",
            "Statements: CREATE STREAM, SELECT, EXPLAIN, DESCRIBE, SHOW STREAMS|FLOWS|FUNCTIONS, DROP STREAM,",
            "DROP FLOW, SET 'key' = 'value'. A SELECT is watched from the start; \\u or Ctrl-C stops its rows",
            "(the flow keeps running; \\d drops it).");

    /** What a command asks of the shell. */
    enum Outcome { CONTINUE, QUIT }

    private final RtsqlEngine engine;
    private final OutputFormat format;
    private final Consumer<String> printer;
    private final Map<Long, FlowWatcher> watchers = new ConcurrentHashMap<>();

    ControlCommands(RtsqlEngine engine, OutputFormat format, Consumer<String> printer) {
        this.engine = requireNonNull(engine, "engine is null");
        this.format = requireNonNull(format, "format is null");
        this.printer = requireNonNull(printer, "printer is null");
    }

    /** A new watcher for a flow about to start; {@link #watching} registers it once the id is known. */
    FlowWatcher newWatcher() {
        return new FlowWatcher(format, printer);
    }

    void watching(Flow flow, FlowWatcher w) {
        watchers.put(flow.id(), w);
        w.activate(flow.columns());
    }

    /**
     * Stops printing the rows of every watched flow (what Ctrl-C does at the prompt). The flows keep
     * running; the message says how to watch again or drop them.
     */
    void stopWatchingAll() {
        List<Long> running = new ArrayList<>();
        for (Long id : new ArrayList<>(watchers.keySet())) {
            FlowWatcher w = watchers.remove(id);
            Optional<Flow> f = engine.flow(id);
            if (w != null && f.isPresent()) {
                f.get().unsubscribe(w);
                if (f.get().state() == Flow.State.RUNNING) {
                    running.add(id);
                }
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
        switch (cmd) {
            case "\\q":
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
    }

    private void onFlow(String cmd, long id) throws InterruptedException {
        Optional<Flow> flow = engine.flow(id);
        if (flow.isEmpty()) {
            printer.accept("there is no flow " + id + "; \\f lists the flows");
            return;
        }
        Flow f = flow.get();
        switch (cmd) {
            case "\\w": {
                if (watchers.containsKey(id)) {
                    printer.accept("already watching flow " + id);
                    return;
                }
                FlowWatcher w = newWatcher();
                f.subscribe(w);
                watching(f, w);
                printer.accept("watching flow " + id);
                return;
            }
            case "\\u": {
                FlowWatcher w = watchers.remove(id);
                if (w == null) {
                    printer.accept("not watching flow " + id);
                } else {
                    f.unsubscribe(w);
                    printer.accept("stopped watching flow " + id);
                }
                return;
            }
            default: {
                try {
                    engine.dropFlow(id);
                } catch (RtsqlException e) {
                    printer.accept(e.getMessage());
                    return;
                }
                FlowWatcher w = watchers.remove(id);
                if (w != null) {
                    f.unsubscribe(w);
                }
                if (cmd.equals("\\D") && !f.awaitEnd(Duration.ofSeconds(30))) {
                    printer.accept("flow " + id + " has not stopped after 30 s");
                    return;
                }
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

    private void set(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            printer.accept("\\set needs key=value, e.g. \\set rtsql.slack.time=500");
            return;
        }
        String key = arg.substring(0, eq).strip();
        String value = arg.substring(eq + 1).strip();
        try {
            printer.accept(engine.execute("SET '" + quote(key) + "' = '" + quote(value) + "'").message());
        } catch (RtsqlException e) {
            printer.accept(e.getMessage());
        }
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** The flows with their counters, one per line. */
    String flowTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%5s  %-8s  %10s  %10s  %9s  %7s  %-7s  %s%n", "id", "state", "events in",
                "rows out", "rejected", "late", "watched", "query"));
        for (Flow f : engine.flows()) {
            FlowCounters c = f.counters();
            sb.append(String.format("%5d  %-8s  %10d  %10d  %9d  %7d  %-7s  %s%n", f.id(), f.state(), c.eventsIn(),
                    c.rowsOut(), c.rejected(), c.late(), watchers.containsKey(f.id()) ? "yes" : "no",
                    Statements.brief(f.query())));
        }
        if (engine.flows().isEmpty()) {
            sb.append("(no flows)\n");
        }
        return sb.toString().stripTrailing();
    }
}
