package io.sluice.cli;

import io.sluice.cli.avro.AvroClientCommand;
import io.sluice.cli.channel.ChannelCommand;
import io.sluice.cli.observe.TapCommand;
import io.sluice.cli.observe.TopCommand;
import io.sluice.cli.server.ServerCommand;
import io.sluice.cli.shell.ShellCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sluice}: the launcher. Subcommands are listed explicitly below; a package that adds a
 * command adds one class to the list.
 */
@Command(name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = "Sluice moves events from where they are produced to where they are stored, "
                + "and runs streaming SQL over them. Apache Flume configurations run unchanged.",
        subcommands = {
            AgentCommand.class,
            ValidateCommand.class,
            DemoCommand.class,
            VersionCommand.class,
            ComponentsCommand.class,
            ChannelCommand.class,
            AvroClientCommand.class,
            ShellCommand.class,
            ServerCommand.class,
            TopCommand.class,
            TapCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        LogSetup.configure(args);
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** The configured command line (also used by tests to run commands in-process). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** {@code sluice} without a subcommand prints the usage and fails. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'sluice demo'");
    }
}
