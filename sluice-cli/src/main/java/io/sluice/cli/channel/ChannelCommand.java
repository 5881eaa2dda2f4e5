package io.sluice.cli.channel;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice channel ...}: tools for a channel's files. {@code inspect}, and {@code import} from an Apache Flume file channel. */
@Command(name = "channel", description = "Look at a channel's files, or import an Apache Flume file channel's events.",
        subcommands = {ChannelInspectCommand.class, ChannelImportCommand.class, CommandLine.HelpCommand.class})
public final class ChannelCommand implements Runnable {

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a subcommand, e.g. 'sluice channel inspect CHECKPOINT_DIR DATA_DIR'");
    }
}
