package io.sluice.cli.shell;

import io.sluice.cli.shell.ShellBackend.FlowView;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.StatementResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import static java.util.Objects.requireNonNull;

/**
 * The interactive shell: reads statements at the {@code rtsql>} prompt (continuation lines
 * {@code ->}), runs them, and prints rows of watched flows above the prompt without breaking the
 * line being typed. A bad statement prints its error and the shell goes on; flows keep running.
 * Used from one thread; rows arrive on flow threads through {@link LineReader#printAbove}.
 */
public final class InteractiveShell {
    private final Session session;
    private final OutputFormat format;
    private final Path historyFile;

    public InteractiveShell(RtsqlEngine engine, OutputFormat format, Path historyFile) {
        this(Session.of(new LocalBackend(engine)), format, historyFile);
    }

    InteractiveShell(Session session, OutputFormat format, Path historyFile) {
        this.session = requireNonNull(session, "session is null");
        this.format = requireNonNull(format, "format is null");
        this.historyFile = requireNonNull(historyFile, "historyFile is null");
    }

    /** Runs until {@code \q} or end of input; returns the exit status (0). */
    public int run() throws IOException, InterruptedException {
        try (Terminal terminal = TerminalBuilder.builder().name("sluice").system(true).build()) {
            return run(terminal);
        }
    }

    /** Runs on {@code terminal} (a test gives one over pipes) until {@code \q} or end of input. */
    int run(Terminal terminal) throws IOException, InterruptedException {
        {
            LineReader reader = LineReaderBuilder.builder().appName("sluice").terminal(terminal)
                    .parser(new SqlLineParser()).completer(new SqlCompleter(session))
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "    -> ")
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.CASE_INSENSITIVE, true)
                    .build();
            ControlCommands control = new ControlCommands(session, format, reader::printAbove);
            PrintWriter w = terminal.writer();
            String where = session.withBackend(ShellBackend::describe);
            w.println("Sluice rtsql shell (" + (where == null ? "not connected" : where) + "). Statements end with ';'."
                    + " \\h for help, \\q to quit.");
            w.flush();
            while (true) {
                String line;
                try {
                    line = reader.readLine("rtsql> ");
                } catch (UserInterruptException e) {
                    // Ctrl-C while rows scroll: stop watching (the flows keep running)
                    control.stopWatchingAll();
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (trimmed.startsWith("\\")) {
                    if (control.run(trimmed) == ControlCommands.Outcome.QUIT) {
                        break;
                    }
                    continue;
                }
                runStatements(line, control, reader);
            }
            w.println("bye");
            w.flush();
        }
        return 0;
    }

    private void runStatements(String text, ControlCommands control, LineReader reader) {
        List<String> statements;
        try {
            statements = RtsqlEngine.splitStatements(text);
        } catch (RtsqlException e) {
            reader.printAbove(e.getMessage());
            return;
        }
        for (String s : statements) {
            if (Statements.stripLeading(s).isBlank()) {
                continue;
            }
            FlowWatcher watcher = control.newWatcher();
            try {
                ShellBackend.Executed ex = session.backend().execute(s, watcher);
                StatementResult r = ex.result();
                reader.printAbove(r.message());
                StringWriter table = new StringWriter();
                PrintWriter pw = new PrintWriter(table);
                ResultTables.print(r, pw, reader.getTerminal().getWidth() > 0 ? reader.getTerminal().getWidth() : 120);
                pw.flush();
                if (table.getBuffer().length() > 0) {
                    reader.printAbove(table.toString().stripTrailing());
                }
                if (ex.flow().isPresent() && Statements.isSelect(s)) {
                    FlowView f = ex.flow().get();
                    control.watching(f, watcher, ex.watch());
                } else {
                    ex.watch().stop();
                }
            } catch (RtsqlException e) {
                reader.printAbove(e.getMessage());
            } catch (RuntimeException e) {
                reader.printAbove("statement failed: " + e);
            }
        }
    }
}
