package io.sluice.cli;

import io.sluice.api.config.GlobalSsl;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.InvalidConfigurationException;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.config.source.BackupConfigSource;
import io.sluice.core.config.source.ConfigSource;
import io.sluice.core.config.source.ConfigSources;
import io.sluice.sql.agent.http.ServerAddress;
import io.sluice.sql.agent.tee.TeeClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice agent -n a1 -f flume.conf}: runs one agent until SIGTERM or Ctrl-C. Accepts every
 * option of Apache Flume's {@code flume-ng agent} (the JVM options, {@code -C} and
 * {@code --plugins-path} are handled by the {@code bin/sluice} launcher before Java starts). Exit
 * status 0 after a graceful stop or a valid {@code --dryrun}, 1 when the configuration has problems
 * (all of them are printed, nothing is started), 2 on bad options.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Run an agent from a configuration (Apache Flume properties format): files, URLs or ZooKeeper.",
        footer = {"", "Handled by bin/sluice and bin/flume-ng before Java starts: JVM options (-Xmx1g, -XX:..., "
                + "-agentlib:, -javaagent:), -C/--classpath CP and --plugins-path DIR[:DIR...] (Apache Flume plugins), "
                + "and JAVA_OPTS, FLUME_CLASSPATH, FLUME_JAVA_LIBRARY_PATH of flume-env.sh in the -c directory. "
                + "See docs/cli.md."})
final class AgentCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);
    /** Apache Flume's poll interval for files, and for configurations fetched over HTTP. */
    static final int FILE_POLL_SECONDS = 30;
    static final int HTTP_POLL_SECONDS = 300;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--name"}, required = true, paramLabel = "AGENT",
            description = "The agent to run (a configuration may define several).")
    String name;

    @Mixin
    ConfigSourceOptions sources = new ConfigSourceOptions();

    @Option(names = {"-c", "--conf"}, paramLabel = "DIR", description = "Configuration directory, as flume-ng's: "
            + "its logback.xml, if any, configures logging; bin/sluice reads its flume-env.sh.")
    Path confDir;

    @Option(names = "--no-reload-conf", description = "Do not restart the agent when the configuration changes.")
    boolean noReload;

    @Option(names = {"-i", "--poll-interval", "--reload-interval"}, paramLabel = "SECONDS",
            description = "How often to look for a changed configuration (default: 30, or 300 when a -u URL is "
                    + "http or https, as in Apache Flume).")
    Integer reloadSeconds;

    @Option(names = {"-d", "--dryrun"}, description = "Validate the configuration and exit (0 when it is valid, "
            + "1 when it has problems) without starting anything.")
    boolean dryrun;

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
            description = "Set a system property (visible to $${sys:KEY}) and pass it to the agent. "
                    + "-Dflume.root.logger=LEVEL,console sets the log level.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = {"-a", "--auth-provider", "-prov", "--conf-provider"}, paramLabel = "CLASS", hidden = true)
    String providerClass;

    @Option(names = {"-C", "--classpath", "--plugins-path"}, paramLabel = "PATH", hidden = true)
    String launcherOnly;

    @Option(names = {"-b", "--backup-directory"}, paramLabel = "DIR",
            description = "Keep a copy of the configuration last read in DIR/.AGENT.properties and start from it "
                    + "when the sources cannot be read.")
    Path backupDirectory;

    @Option(names = "--rtsql-server", paramLabel = "HOST:PORT", description = "Register with this rtsql server "
            + "(sluice server) and tee the components its flows read (FROM NODE 'AGENT.component'). The tee never "
            + "slows the agent: it drops and counts when the server falls behind (metrics group TEE.rtsql).")
    String rtsqlServer;

    @Option(names = "--rtsql-token-file", paramLabel = "FILE", description = "The rtsql server's token (its "
            + "<data-dir>/token); default: the SLUICE_TOKEN environment variable.")
    Path rtsqlTokenFile;

    @Option(names = "--rtsql-tee-cpu", paramLabel = "SHARE", description = "The share of one core each tee may use "
            + "(above 0, at most 1; default: 0.1). A tee's thread also runs at the lowest priority; what it cannot send "
            + "within its share is dropped and counted (TEE.rtsql EventDroppedCount, CpuBudgetPausedMillis).")
    Double rtsqlTeeCpu;

    @Option(names = "--rtsql-tls", description = "Reach the rtsql server over TLS (https).")
    boolean rtsqlTls;

    @Option(names = "--rtsql-truststore", paramLabel = "FILE", description = "A JKS or PKCS12 trust store for the "
            + "rtsql server's certificate (default: the JVM's); its password in -Djavax.net.ssl.trustStorePassword.")
    Path rtsqlTruststore;

    @Override
    public Integer call() throws InterruptedException {
        // As Apache Flume's agent does: FLUME_SSL_* environment variables stand in for unset
        // javax.net.ssl.* and flume.ssl.* system properties, which every component with ssl reads.
        GlobalSsl.initFromEnvironment();
        MetricsSettings metrics;
        List<ConfigSource> configSources;
        ServerAddress rtsql;
        TeeClient.Options teeOptions;
        try {
            refuseUnsupported();
            metrics = MetricsSettings.resolve(metricsPort, metricsBind, properties);
            if (reloadSeconds != null && reloadSeconds < 1) {
                throw new IllegalArgumentException("--poll-interval: " + reloadSeconds + " (expected: > 0)");
            }
            if (drainSeconds < 0) {
                throw new IllegalArgumentException("--drain-timeout: " + drainSeconds + " (expected: >= 0)");
            }
            properties.forEach(System::setProperty);
            configSources = sources.build(name);
            rtsql = rtsqlServer();
            teeOptions = teeOptions();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PluginSettings.current().log(name);
        int poll = reloadSeconds != null ? reloadSeconds
                : ConfigSources.anyHttp(configSources) ? HTTP_POLL_SECONDS : FILE_POLL_SECONDS;
        if (backupDirectory != null && !dryrun) {
            configSources = List.of(new BackupConfigSource(configSources, backupDirectory, name));
        }
        AgentSpec agentSpec = AgentSpec.fromSources(name, configSources, properties,
                dataDir != null ? dataDir : Path.of("data", name)).withDrainTimeout(Duration.ofSeconds(drainSeconds));
        if (dryrun) {
            ValidationReport report = Agent.validate(agentSpec);
            configSources.forEach(ConfigSource::close);
            spec.commandLine().getOut().print("Dry run of agent '" + name + "' (nothing started): " + report.render());
            spec.commandLine().getOut().flush();
            return report.ok() ? 0 : 1;
        }
        LOG.debug("[{}] configuration from {}; {}", name, agentSpec.origin(),
                noReload ? "not watched (--no-reload-conf)" : "checked for changes every " + poll + " s");
        RunningAgent running;
        try {
            running = RunningAgent.start(agentSpec, !noReload, Duration.ofSeconds(poll), metrics, rtsql,
                    teeOptions);
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

    /** The rtsql server to register with, or null; the token from the file or SLUICE_TOKEN. */
    private ServerAddress rtsqlServer() {
        if (rtsqlServer == null) {
            if (rtsqlTokenFile != null || rtsqlTls || rtsqlTruststore != null) {
                throw new IllegalArgumentException("--rtsql-token-file, --rtsql-tls and --rtsql-truststore need "
                        + "--rtsql-server HOST:PORT");
            }
            return null;
        }
        String token = rtsqlTokenFile != null ? ServerAddress.readToken(rtsqlTokenFile) : System.getenv("SLUICE_TOKEN");
        try {
            return ServerAddress.of(rtsqlServer, token, rtsqlTls, rtsqlTruststore);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rtsql-server: " + e.getMessage()
                    + (token == null ? " (--rtsql-token-file FILE)" : ""));
        }
    }

    /** The tees' options: the defaults, with the CPU share of {@code --rtsql-tee-cpu}. */
    private TeeClient.Options teeOptions() {
        if (rtsqlTeeCpu == null) {
            return TeeClient.Options.DEFAULTS;
        }
        if (rtsqlServer == null) {
            throw new IllegalArgumentException("--rtsql-tee-cpu needs --rtsql-server HOST:PORT");
        }
        if (!(rtsqlTeeCpu > 0 && rtsqlTeeCpu <= 1)) {
            throw new IllegalArgumentException("--rtsql-tee-cpu: " + rtsqlTeeCpu + " (expected: > 0 and <= 1, the share "
                    + "of one core each tee may use; default " + TeeClient.Options.DEFAULT_TEE_CPU_SHARE + ")");
        }
        return TeeClient.Options.DEFAULTS.withTeeCpuShare(rtsqlTeeCpu);
    }

    /** Options only the launcher script can apply, and Apache Flume's that load Flume classes by name. */
    private void refuseUnsupported() {
        if (launcherOnly != null) {
            throw new IllegalArgumentException("-C/--classpath and --plugins-path are handled by the launcher before "
                    + "Java starts; run the agent with bin/sluice or bin/flume-ng, or pass -Dsluice.plugins.classpath=... "
                    + "and -Dsluice.plugins.path=... to the JVM");
        }
        if (providerClass != null) {
            throw new IllegalArgumentException("-a/--auth-provider and -prov/--conf-provider are not supported: they load "
                    + "an Apache Flume provider class; use -f, -u (with --conf-user/--conf-password) or -z");
        }
    }
}
