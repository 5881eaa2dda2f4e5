package io.sluice.cli.shell;

import io.sluice.sql.Flow;
import io.sluice.sql.FlowCounters;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RejectedEvent;
import io.sluice.sql.Row;
import io.sluice.sql.RowListener;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.StatementResult;
import java.io.PrintWriter;
import java.time.Duration;
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
    private static final Object END = new Object();

    private final RtsqlEngine engine;
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final Set<Long> reported = new HashSet<>();
    private boolean failed;

    public ScriptRunner(RtsqlEngine engine, PrintWriter out, PrintWriter err, OutputFormat format) {
        this.engine = requireNonNull(engine, "engine is null");
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
        for (Flow f : engine.flows()) {
            if (f.isFinite()) {
                while (!f.awaitEnd(Duration.ofSeconds(1))) {
                    // finite flows end by themselves; keep waiting
                }
                reportEnd(f);
            }
        }
    }

    /** 0 if every statement and flow succeeded, else 1. */
    public int exitStatus() {
        return failed ? 1 : 0;
    }

    private void runOne(String statement, String source) throws InterruptedException {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        RowListener listener = new RowListener() {
            @Override
            public void onRow(Row row) {
                queue.add(row);
            }

            @Override
            public void onEnd(Flow flow) {
                queue.add(END);
            }
        };
        StatementResult result;
        try {
            result = engine.execute(statement, listener);
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
        err.println(result.message());
        ResultTables.print(result, err);
        err.flush();
        if (result.flow().isEmpty() || !Statements.isSelect(statement)) {
            return;
        }
        Flow flow = result.flow().get();
        String header = format.header(flow.columns());
        synchronized (out) {
            if (header != null) {
                out.println(header);
            }
            out.flush();
        }
        if (!flow.isFinite()) {
            Thread printer = new Thread(() -> drain(queue, flow), "sluice-shell-flow-" + flow.id());
            printer.setDaemon(true);
            printer.start();
            return;
        }
        drain(queue, flow);
        flow.awaitEnd(Duration.ofSeconds(30));
        reportEnd(flow);
    }

    private void drain(BlockingQueue<Object> queue, Flow flow) {
        try {
            while (true) {
                Object o = queue.take();
                if (o == END) {
                    return;
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
        } finally {
            synchronized (out) {
                out.flush();
            }
        }
    }

    private void reportEnd(Flow flow) {
        if (!reported.add(flow.id())) {
            return;
        }
        FlowCounters c = flow.counters();
        if (flow.state() == Flow.State.FAILED) {
            failed = true;
            err.println("flow " + flow.id() + " failed: " + flow.failure().map(Throwable::toString).orElse("unknown")
                    + "\n  in statement: " + Statements.brief(flow.query()));
        }
        if (c.rejected() > 0) {
            List<RejectedEvent> kept = flow.rejectedEvents();
            err.println("flow " + flow.id() + ": " + c.rejected() + " event(s) rejected"
                    + (kept.isEmpty() ? "" : "; first: " + kept.get(0).reason() + " in '" + kept.get(0).raw() + "'"));
        }
        if (c.late() > 0) {
            err.println("flow " + flow.id() + ": " + c.late() + " late event(s) left out of closed windows"
                    + " (raise 'rtsql.slack.time' to keep them)");
        }
        err.flush();
    }
}
