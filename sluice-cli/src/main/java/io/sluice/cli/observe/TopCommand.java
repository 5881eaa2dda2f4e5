package io.sluice.cli.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice top -p METRICS_PORT}: a live table of a running agent's components, redrawn every
 * second in a terminal (plain ANSI: clear and redraw); without a terminal, or with {@code --once},
 * one table (rates over one interval) and exit.
 */
@Command(name = "top", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Watch a running agent: events/s in and out, channel fill, errors, rollbacks and commit "
                + "latency of every component, refreshed every second. Without a terminal: one snapshot.")
public final class TopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "METRICS_PORT",
            description = "The agent's metrics port (--metrics-port or -Dflume.monitoring.port of the agent).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The agent's metrics address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--interval", defaultValue = "1", paramLabel = "SECONDS",
            description = "Seconds between refreshes, and the span rates are measured over (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--once", description = "Print one snapshot and exit, even in a terminal.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (interval <= 0) {
            err.println("sluice top: --interval " + interval + ": must be more than 0 seconds");
            return 2;
        }
        AgentEndpoint agent = new AgentEndpoint(host, port);
        boolean live = !once && System.console() != null;
        try {
            String name = agent.json("/topology").path("agent").asText("?");
            JsonNode previous = agent.json("/metrics");
            long previousAt = System.nanoTime();
            while (true) {
                TimeUnit.MILLISECONDS.sleep((long) (interval * 1000)); // the refresh rate, not a wait for a condition
                JsonNode current = agent.json("/metrics");
                long now = System.nanoTime();
                String table = TopTable.render(TopTable.rows(previous, current, (now - previousAt) / 1e9));
                String title = "agent " + name + " on " + agent.describe() + " at "
                        + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + (live ? "  (Ctrl-C to quit)" : "");
                if (live) {
                    out.print("\033[H\033[2J");
                }
                out.println(title);
                out.print(table);
                out.flush();
                if (!live) {
                    return 0;
                }
                previous = current;
                previousAt = now;
            }
        } catch (IOException e) {
            err.println("sluice top: " + e.getMessage());
            return 1;
        }
    }
}
