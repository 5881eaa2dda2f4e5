package io.sluice.cli.shell;

import io.sluice.cli.shell.ShellBackend.FlowView;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.StatementResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static java.util.Objects.requireNonNull;

/**
 * Runs statements without a prompt ({@code -e}, {@code -f}). Statements run in order; a SELECT whose
 * streams are all finite runs to its end before the next statement starts and prints one block
 * (header, then rows) to {@code out}; a SELECT over an endless stream prints its rows as they come.
 * Everything else (messages, DESCRIBE/SHOW/EXPLAIN tables, errors, rejected-event notes) goes to
 * {@code err}. A bad statement is reported and the next one runs; the exit status is then 1.
 *
 * <p>Not thread-safe: one caller thread. Rows of endless flows are printed by the engine's thread
 * under the lock of {@code out}.
 */
public final class ScriptRunner {
    private final ShellBackend backend;
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final Set<Long> reported = new HashSet<>();
    /** Finite flows this runner started (or, locally, that the engine runs), to wait for at the end. */
    private final List<Long> finite = new ArrayList<>();
    private boolean failed;

    public ScriptRunner(RtsqlEngine engine, PrintWriter out, PrintWriter err, OutputFormat format) {
        this(new LocalBackend(engine), out, err, format);
    }

    ScriptRunner(ShellBackend backend, PrintWriter out, PrintWriter err, OutputFormat format) {
        this.backend = requireNonNull(backend, "backend is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.format = requireNonNull(format, "format is null");
    }

    /** Runs every statement of {@code script} (from {@code source}, e.g. a file name, for messages). */
    public void run(String script, String source) throws InterruptedException {
        List<String> statements;
        try {
            statements = RtsqlEngine.splitStatements(script);
        } catch (RtsqlException e) {
            err.println(source + ": " + e.getMessage());
            err.flush();
            failed = true;
            return;
        }
        for (String s : statements) {
            if (!Statements.stripLeading(s).isBlank()) {
                runOne(s, source);
            }
        }
    }

    /** Waits until every flow over finite streams has ended (CREATE STREAM ... AS flows included). */
    public void awaitFiniteFlows() throws InterruptedException {
        List<Long> ids = new ArrayList<>(finite);
        if (backend instanceof LocalBackend local) {
            ids.clear();
            for (FlowView f : local.flows()) {
                if (f.finite()) {
                    ids.add(f.id());
                }
            }
        }
        for (long id : ids) {
            try {
                reportEnd(backend.awaitEnd(id));
            } catch (RtsqlException e) {
                err.println(e.getMessage());
                err.flush();
                failed = true;
            }
        }
    }

    /** 0 if every statement and flow succeeded, else 1. */
    public int exitStatus() {
        return failed ? 1 : 0;
    }

    private void runOne(String statement, String source) throws InterruptedException {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        ShellBackend.Listener listener = new ShellBackend.Listener() {
            @Override
            public void onRow(Row row) {
                queue.add(row);
            }

            @Override
            public void onEnd(FlowView flow) {
                queue.add(flow);
            }
        };
        ShellBackend.Executed executed;
        try {
            executed = backend.execute(statement, listener);
        } catch (RtsqlException e) {
            err.println(source + ": " + e.getMessage());
            err.println("  in statement: " + Statements.brief(statement));
            err.flush();
            failed = true;
            return;
        } catch (RuntimeException e) {
            err.println(source + ": statement failed: " + e);
            err.println("  in statement: " + Statements.brief(statement));
            err.flush();
            failed = true;
            return;
        }
        StatementResult result = executed.result();
        err.println(result.message());
        ResultTables.print(result, err);
        err.flush();
        if (executed.flow().isEmpty() || !Statements.isSelect(statement)) {
            executed.watch().stop();
            return;
        }
        FlowView flow = executed.flow().get();
        if (flow.finite()) {
            finite.add(flow.id());
        }
        String header = format.header(flow.columns());
        synchronized (out) {
            if (header != null) {
                out.println(header);
            }
            out.flush();
        }
        if (!flow.finite()) {
            Thread printer = new Thread(() -> drain(queue, flow), "sluice-shell-flow-" + flow.id());
            printer.setDaemon(true);
            printer.start();
            return;
        }
        FlowView end = drain(queue, flow);
        if (end != null) {
            reportEnd(end);
        }
    }

    /** Prints rows until the flow's end; returns its final view (null if interrupted). */
    private FlowView drain(BlockingQueue<Object> queue, FlowView flow) {
        try {
            while (true) {
                Object o = queue.take();
                if (o instanceof FlowView end) {
                    return end;
                }
                synchronized (out) {
                    out.println(format.format(flow.columns(), (Row) o));
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            synchronized (out) {
                out.flush();
            }
        }
    }

    private void reportEnd(FlowView flow) {
        if (!reported.add(flow.id())) {
            return;
        }
        if (flow.state().equals("FAILED")) {
            failed = true;
            err.println("flow " + flow.id() + " failed: " + (flow.failure() == null ? "unknown" : flow.failure())
                    + "\n  in statement: " + Statements.brief(flow.query()));
        }
        if (flow.rejected() > 0) {
            err.println("flow " + flow.id() + ": " + flow.rejected() + " event(s) rejected"
                    + (flow.firstRejected() == null ? "" : "; first: " + flow.firstRejected()));
        }
        if (flow.late() > 0) {
            err.println("flow " + flow.id() + ": " + flow.late() + " late event(s) left out of closed windows"
                    + " (raise 'rtsql.slack.time' to keep them)");
        }
        err.flush();
    }
}
