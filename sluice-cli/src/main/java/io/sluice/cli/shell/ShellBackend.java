package io.sluice.cli.shell;

import io.sluice.sql.Column;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.StatementResult;
import java.util.List;
import java.util.Optional;

/**
 * What the shell talks to: an engine in this process ({@link LocalBackend}) or an rtsql server
 * ({@link RemoteBackend}). Both give the same view of statements and flows, so the interactive
 * shell, scripts and the control commands are one code path. Implementations are thread-safe.
 */
interface ShellBackend extends AutoCloseable {
    /** A flow as the shell shows it: state and counters at one moment. */
    record FlowView(long id, String state, String query, boolean finite, List<Column> columns, long eventsIn,
            long rowsOut, long rejected, long late, String failure, String firstRejected, List<String> waiting) {
        public FlowView {
            columns = List.copyOf(columns);
            waiting = List.copyOf(waiting);
        }

        boolean running() {
            return state.equals("RUNNING");
        }
    }

    /** Rows of a watched flow, then its end. Called on a thread of the backend's. */
    interface Listener {
        void onRow(Row row);

        void onEnd(FlowView flow);
    }

    /** A watch of one flow; {@link #stop()} stops the rows (never the flow). */
    interface Watch {
        void stop();
    }

    /** A statement's result; a SELECT also gives its flow and the watch of it (when asked for). */
    record Executed(StatementResult result, Optional<FlowView> flow, Watch watch) {
    }

    /** Where statements go, for the banner: {@code local engine} or {@code server HOST:PORT}. */
    String describe();

    /**
     * Runs one statement. For a SELECT and a non-null {@code listener}, the flow's rows go to it
     * from the first one (the returned {@link Executed#watch()} stops them).
     */
    Executed execute(String statement, Listener listener) throws RtsqlException;

    List<FlowView> flows() throws RtsqlException;

    Optional<FlowView> flow(long id) throws RtsqlException;

    /** Watches a running flow from now on. */
    Watch watch(long id, Listener listener) throws RtsqlException;

    /** Drops a flow; with {@code wait}, returns once it has stopped. */
    FlowView drop(long id, boolean wait) throws RtsqlException;

    /** Waits until flow {@code id} has ended and returns its final view. */
    FlowView awaitEnd(long id) throws RtsqlException, InterruptedException;

    @Override
    void close();
}
