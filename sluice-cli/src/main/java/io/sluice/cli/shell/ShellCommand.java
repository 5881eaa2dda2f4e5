package io.sluice.cli.shell;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.agent.AgentSourceProvider;
import io.sluice.sql.server.TokenFile;
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
 * {@code sluice shell --local | --connect HOST:PORT [-e statements | -f file] [--format table|csv|tsv|json]
 * [--set k=v]}: the rtsql shell over an engine in this process, or over an rtsql server (token from
 * {@code --token-file} or {@code SLUICE_TOKEN}). Without {@code -e}/{@code -f} it is interactive.
 * Exit status: 0 on success, 1 if any statement or flow failed (or the server cannot be reached), 2
 * on bad arguments.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "The rtsql streaming SQL shell (--local: an engine in this process; --connect: an rtsql"
                + " server).")
public final class ShellCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--local", description = "Run the engine in this process.")
    boolean local;

    @Option(names = "--connect", paramLabel = "HOST:PORT",
            description = "Use the rtsql server at HOST:PORT ('sluice server'; its default port is 9292).")
    String connect;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The server's token (its <data-dir>/token); default: the SLUICE_TOKEN environment"
                    + " variable.")
    Path tokenFile;

    @Option(names = "--tls", description = "Connect with HTTPS (the JVM's trust store decides which certificates"
            + " are trusted; -Djavax.net.ssl.trustStore=... through JAVA_OPTS for your own).")
    boolean tls;

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
        if (local == (connect != null)) {
            err.println("sluice shell: give either --local (an engine in this process) or --connect HOST:PORT (an"
                    + " rtsql server)");
            err.flush();
            return 2;
        }
        String token = null;
        if (connect != null) {
            try {
                token = tokenFile != null ? TokenFile.read(tokenFile) : System.getenv("SLUICE_TOKEN");
            } catch (IOException e) {
                err.println("sluice shell: --token-file " + tokenFile + ": cannot read it: " + e.getMessage());
                err.flush();
                return 2;
            }
            if (token == null || token.isBlank()) {
                err.println("sluice shell: --connect needs the server's token: --token-file <data-dir>/token, or"
                        + " the SLUICE_TOKEN environment variable");
                err.flush();
                return 2;
            }
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
        Session session;
        if (connect != null) {
            String t = token;
            Session.Connector connector = address -> {
                RemoteBackend b = new RemoteBackend(address, t, tls);
                b.check();
                return b;
            };
            try {
                session = new Session(connector.connect(connect), connector);
                for (Map.Entry<String, String> s : settings.entrySet()) {
                    session.backend().execute("SET '" + s.getKey().replace("'", "\\'") + "' = '"
                            + s.getValue().replace("'", "\\'") + "'", null);
                }
            } catch (RtsqlException e) {
                err.println("sluice shell: " + e.getMessage());
                err.flush();
                return 1;
            }
        } else {
            EngineOptions.Builder options = EngineOptions.builder().eventSource(new AgentSourceProvider());
            settings.forEach(options::setting);
            session = Session.of(new LocalBackend(new RtsqlEngine(options.build())));
        }
        try {
            if (interactive) {
                Path history = Path.of(System.getProperty("user.home"), ".sluice_history");
                return new InteractiveShell(session, fmt, history).run();
            }
            ScriptRunner runner = new ScriptRunner(session.backend(), out, err, fmt);
            for (int i = 0; i < scripts.size(); i++) {
                runner.run(scripts.get(i), sources.get(i));
            }
            runner.awaitFiniteFlows();
            out.flush();
            err.flush();
            return runner.exitStatus();
        } finally {
            session.close();
        }
    }
}
