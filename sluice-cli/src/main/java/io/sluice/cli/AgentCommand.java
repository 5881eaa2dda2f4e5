package io.sluice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.InvalidConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice agent -n a1 -f flume.conf}: runs one agent until SIGTERM or Ctrl-C. Accepts
 * Apache Flume's {@code flume-ng agent} options. Exit status 0 after a graceful stop, 1 when the
 * configuration has problems (all of them are printed, nothing is started), 2 on bad options.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Run an agent from a configuration file (Apache Flume properties format).")
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--name"}, required = true, paramLabel = "AGENT",
            description = "The agent to run (a file may define several).")
    String name;

    @Option(names = {"-f", "--conf-file"}, required = true, paramLabel = "FILE",
            description = "The configuration file.")
    Path configFile;

    @Option(names = {"-c", "--conf"}, paramLabel = "DIR", description = "Configuration directory, as flume-ng's; "
            + "its logback.xml, if any, configures logging.")
    Path confDir;

    @Option(names = "--no-reload-conf", description = "Do not restart the agent when the configuration file changes.")
    boolean noReload;

    @Option(names = "--reload-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "How often to look for a changed configuration file (default: ${DEFAULT-VALUE}).")
    int reloadSeconds;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "On stop, how long sinks may drain the channels after the sources stopped "
                    + "(default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where durable components keep their files (default: ./data/AGENT).")
    Path dataDir;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve counters over HTTP on this port: /metrics (JSON) and /prometheus. "
                    + "Same as -Dflume.monitoring.type=http -Dflume.monitoring.port=PORT.")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "The address the metrics server binds (default: ${DEFAULT-VALUE}).")
    String metricsBind;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set a system property (visible to $${sys:KEY}) and pass it to the agent.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        MetricsSettings metrics;
        try {
            metrics = MetricsSettings.resolve(metricsPort, metricsBind, properties);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (reloadSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--reload-interval: " + reloadSeconds + " (expected: > 0)");
        }
        if (drainSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--drain-timeout: " + drainSeconds + " (expected: >= 0)");
        }
        properties.forEach(System::setProperty);
        if (!Files.isRegularFile(configFile)) {
            spec.commandLine().getErr().println("sluice agent: configuration file " + configFile.toAbsolutePath()
                    + " does not exist or is not a file; pass an existing file with -f");
            return 1;
        }
        AgentSpec agentSpec = new AgentSpec(name, configFile, properties,
                dataDir != null ? dataDir : Path.of("data", name)).withDrainTimeout(Duration.ofSeconds(drainSeconds));
        RunningAgent running;
        try {
            running = RunningAgent.start(agentSpec, !noReload, Duration.ofSeconds(reloadSeconds), metrics);
        } catch (InvalidConfigurationException e) {
            spec.commandLine().getErr().print("sluice agent: agent '" + name + "' was not started. "
                    + e.report().render());
            spec.commandLine().getErr().flush();
            return 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("sluice agent: " + e.getMessage());
            return 1;
        }
        // Runs until the shutdown hook (SIGTERM, Ctrl-C) has stopped the agent.
        while (!running.awaitStop(Duration.ofDays(1))) {
            // keep waiting
        }
        return 0;
    }
}
