package io.sluice.cli;

import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.InvalidConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: runs a built-in agent with two pipelines so a newcomer sees events flow:
 * a shell loop ({@code exec} source, with timestamp and host interceptors) into a memory channel
 * drained by the {@code logger} sink, which logs each event; and a {@code stress} source at a
 * fixed rate into a memory channel drained by the {@code null} sink. Every few seconds it prints
 * the counters, which are also served over HTTP. Stops after {@code --duration} or on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Run a demo agent on built-in defaults and show events flowing.")
final class DemoCommand implements Callable<Integer> {
    static final String AGENT = "demo";
    private static final long REPORT_EVERY_MILLIS = 2000;

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "20",
            description = "Stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port for /metrics and /prometheus on 127.0.0.1; 0 picks a free one (default).")
    int metricsPort;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_SECOND", defaultValue = "100000",
            description = "Events per second of the stress -> memory -> null pipeline (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--print-config", description = "Print the demo's configuration (Apache Flume format) and exit.")
    boolean printConfig;

    /** The demo agent, in the configuration format users write. */
    static Map<String, String> configuration(long rate) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("demo.sources", "greetings load");
        c.put("demo.channels", "c1 c2");
        c.put("demo.sinks", "log discard");
        c.put("demo.sources.greetings.type", "exec");
        c.put("demo.sources.greetings.shell", "/bin/sh -c");
        c.put("demo.sources.greetings.command",
                "i=0; while true; do i=$((i+1)); echo \"hello from Sluice #$i\"; sleep 1; done");
        c.put("demo.sources.greetings.batchSize", "1");
        c.put("demo.sources.greetings.channels", "c1");
        c.put("demo.sources.greetings.interceptors", "ts host");
        c.put("demo.sources.greetings.interceptors.ts.type", "timestamp");
        c.put("demo.sources.greetings.interceptors.host.type", "host");
        c.put("demo.channels.c1.type", "memory");
        c.put("demo.sinks.log.type", "logger");
        c.put("demo.sinks.log.maxBytesToLog", "64");
        c.put("demo.sinks.log.channel", "c1");
        c.put("demo.sources.load.type", "stress");
        c.put("demo.sources.load.size", "100");
        c.put("demo.sources.load.batchSize", "1000");
        c.put("demo.sources.load.maxEventsPerSecond", Long.toString(rate));
        c.put("demo.sources.load.channels", "c2");
        c.put("demo.channels.c2.type", "memory");
        c.put("demo.channels.c2.capacity", "100000");
        c.put("demo.channels.c2.transactionCapacity", "1000");
        c.put("demo.sinks.discard.type", "null");
        c.put("demo.sinks.discard.batchSize", "1000");
        c.put("demo.sinks.discard.channel", "c2");
        return c;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> config = configuration(rate);
        if (printConfig) {
            config.forEach((k, v) -> out.println(k + " = " + v));
            out.flush();
            return 0;
        }
        AgentSpec agentSpec = AgentSpec.fromProperties(AGENT, config, Path.of("data", AGENT));
        RunningAgent running;
        try {
            running = RunningAgent.start(agentSpec, false, Duration.ofSeconds(30),
                    new MetricsSettings(true, "127.0.0.1", metricsPort));
        } catch (InvalidConfigurationException e) {
            err.print("sluice demo: the built-in demo configuration was refused. " + e.report().render());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("sluice demo: " + e.getMessage());
            return 1;
        }
        out.println();
        out.println("Sluice demo agent '" + AGENT + "' is running two pipelines:");
        out.println("  greetings (exec: a shell loop) -> c1 (memory) -> log (logger: each event below)");
        out.println("  load (stress, " + rate + " events/s) -> c2 (memory) -> discard (null)");
        out.println("Counters: curl http://127.0.0.1:" + running.metricsPort() + "/metrics   (and /prometheus)");
        out.println((durationSeconds > 0 ? "Stops after " + durationSeconds + " s or on Ctrl-C." : "Stop with Ctrl-C.")
                + " See the configuration: sluice demo --print-config");
        out.println();
        out.flush();
        long end = durationSeconds > 0 ? System.nanoTime() + Duration.ofSeconds(durationSeconds).toNanos() : Long.MAX_VALUE;
        long lastDrained = 0;
        long lastAt = System.nanoTime();
        while (true) {
            long leftMillis = Math.max(0, (end - System.nanoTime()) / 1_000_000);
            if (running.awaitStop(Duration.ofMillis(Math.max(1, Math.min(leftMillis, REPORT_EVERY_MILLIS))))) {
                return 0; // stopped by Ctrl-C / SIGTERM
            }
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            CounterRegistry counters = running.counters();
            long drained = count(counters, "SINK", "discard", "EventDrainSuccessCount");
            double perSecond = (drained - lastDrained) / ((now - lastAt) / 1e9);
            out.printf(Locale.ROOT, "[demo] greetings: %d logged | load: %d delivered to null (%.0f events/s), "
                            + "c2 holds %d%n",
                    count(counters, "SINK", "log", "EventDrainSuccessCount"), drained, perSecond,
                    count(counters, "CHANNEL", "c2", "ChannelSize"));
            out.flush();
            lastDrained = drained;
            lastAt = now;
        }
        running.close();
        out.println("[demo] done. Next: bin/sluice agent -n a1 -f sluice-cli/target/sluice/conf/flume.conf");
        out.flush();
        return 0;
    }

    private static long count(CounterRegistry registry, String type, String name, String counter) {
        CounterGroup g = registry.find(type, name);
        return g == null ? 0 : g.get(counter);
    }
}
