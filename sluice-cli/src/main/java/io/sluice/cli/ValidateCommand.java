package io.sluice.cli;

import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.config.source.ConfigSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice validate -n a1 -f flume.conf}: checks a configuration without starting anything; it
 * takes the same configuration sources as {@code agent} ({@code -f}, {@code -u}, {@code -z}).
 * Prints "Configuration OK" and the component graph and exits 0, or the numbered problems and
 * exits 1.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Check an agent's configuration without starting it.")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--name"}, required = true, paramLabel = "AGENT", description = "The agent to check.")
    String name;

    @Mixin
    ConfigSourceOptions sources = new ConfigSourceOptions();

    @Option(names = {"-c", "--conf"}, paramLabel = "DIR", description = "Configuration directory (accepted for "
            + "compatibility with flume-ng; its logback.xml, if any, configures logging).")
    Path confDir;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (default: ./data/AGENT).")
    Path dataDir;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set a system property (visible to $${sys:KEY}) and pass it to the agent.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        properties.forEach(System::setProperty);
        List<ConfigSource> configSources;
        try {
            configSources = sources.build(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        AgentSpec agentSpec = AgentSpec.fromSources(name, configSources, properties,
                dataDir != null ? dataDir : Path.of("data", name));
        ValidationReport report = Agent.validate(agentSpec);
        configSources.forEach(ConfigSource::close);
        spec.commandLine().getOut().print(report.render());
        spec.commandLine().getOut().flush();
        return report.ok() ? 0 : 1;
    }
}
