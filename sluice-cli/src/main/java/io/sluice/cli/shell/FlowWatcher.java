package io.sluice.cli.shell;

import io.sluice.cli.shell.ShellBackend.FlowView;
import io.sluice.sql.Column;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Prints the rows of one watched flow as they come. Rows that arrive before {@link #activate} (a
 * SELECT's first rows can arrive before the statement returns) are kept and printed after the
 * header. Thread-safe: rows come on the flow's thread, activation on the shell's.
 */
final class FlowWatcher implements ShellBackend.Listener {
    private final OutputFormat format;
    private final Consumer<String> printer;
    private final List<Row> early = new ArrayList<>();
    private List<Column> columns;
    private boolean ended;
    private FlowView endedFlow;

    FlowWatcher(OutputFormat format, Consumer<String> printer) {
        this.format = requireNonNull(format, "format is null");
        this.printer = requireNonNull(printer, "printer is null");
    }

    /** Prints the header and any rows that came early; later rows print as they come. */
    void activate(List<Column> cols) {
        StringBuilder sb = new StringBuilder();
        FlowView endNote;
        synchronized (this) {
            this.columns = List.copyOf(cols);
            String header = format.header(columns);
            if (header != null) {
                sb.append(header);
            }
            for (Row r : early) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(format.format(columns, r));
            }
            early.clear();
            endNote = ended ? endedFlow : null;
        }
        if (sb.length() > 0) {
            printer.accept(sb.toString());
        }
        if (endNote != null) {
            printer.accept(endMessage(endNote));
        }
    }

    @Override
    public void onRow(Row row) {
        String line;
        synchronized (this) {
            if (columns == null) {
                early.add(row);
                return;
            }
            line = format.format(columns, row);
        }
        printer.accept(line);
    }

    @Override
    public void onEnd(FlowView flow) {
        synchronized (this) {
            ended = true;
            endedFlow = flow;
            if (columns == null) {
                return;
            }
        }
        printer.accept(endMessage(flow));
    }

    static String endMessage(FlowView flow) {
        String why = flow.state().equals("FAILED")
                ? " failed: " + (flow.failure() == null ? "unknown" : flow.failure())
                : " " + flow.state().toLowerCase(Locale.ROOT);
        return "flow " + flow.id() + why + " (events in " + flow.eventsIn() + ", rows out " + flow.rowsOut()
                + ", rejected " + flow.rejected() + ", late " + flow.late() + ")";
    }
}
