package io.sluice.cli.shell;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.agent.AgentSourceProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice shell --local [-e statements | -f file] [--format table|csv|tsv|json] [--set k=v]}:
 * the rtsql shell over an engine in this process. Without {@code -e}/{@code -f} it is interactive.
 * Exit status: 0 on success, 1 if any statement or flow failed, 2 on bad arguments.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "The rtsql streaming SQL shell (--local: an engine in this process).")
public final class ShellCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--local", description = "Run the engine in this process (required for now).")
    boolean local;

    @Option(names = {"-e", "--execute"}, paramLabel = "STATEMENTS",
            description = "Run these statements (separated by ';') and exit. May be repeated.")
    List<String> execute = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Run the statements in FILE and exit.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "How rows are printed: table, csv, tsv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A session setting before the first statement, e.g. --set rtsql.slack.time=500.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!local) {
            err.println("sluice shell: give --local (an engine in this process); connecting to a server is not"
                    + " available yet");
            err.flush();
            return 2;
        }
        OutputFormat fmt;
        try {
            fmt = OutputFormat.parse(format);
        } catch (IllegalArgumentException e) {
            err.println("sluice shell: --format: " + e.getMessage());
            err.flush();
            return 2;
        }
        List<String> scripts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path f : files) {
            try {
                scripts.add(Files.readString(f, StandardCharsets.UTF_8));
                sources.add(f.toString());
            } catch (IOException e) {
                err.println("sluice shell: cannot read " + f + ": " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        for (String e : execute) {
            scripts.add(e);
            sources.add("-e");
        }
        boolean interactive = scripts.isEmpty();
        if (System.getProperty("sluice.shell.keepLogging") == null) {
            ShellLogging.toStderr();
        }
        EngineOptions.Builder options = EngineOptions.builder().eventSource(new AgentSourceProvider());
        settings.forEach(options::setting);
        try (RtsqlEngine engine = new RtsqlEngine(options.build())) {
            if (interactive) {
                Path history = Path.of(System.getProperty("user.home"), ".sluice_history");
                return new InteractiveShell(engine, fmt, history).run();
            }
            ScriptRunner runner = new ScriptRunner(engine, out, err, fmt);
            for (int i = 0; i < scripts.size(); i++) {
                runner.run(scripts.get(i), sources.get(i));
            }
            runner.awaitFiniteFlows();
            out.flush();
            err.flush();
            return runner.exitStatus();
        }
    }
}
