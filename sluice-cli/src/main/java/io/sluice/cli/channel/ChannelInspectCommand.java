package io.sluice.cli.channel;

import io.sluice.channel.file.inspect.ChannelInspector;
import io.sluice.channel.file.inspect.DeadLetterSummary;
import io.sluice.channel.file.inspect.InspectionReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice channel inspect CHECKPOINT_DIR DATA_DIR... [--verify] [--dead-letters [--limit N]]}:
 * reports a file channel's format version, events queued, oldest and newest event, segments with
 * their live bytes, and any corruption; with {@code --dead-letters}, the dead letters among the
 * queued events, counted by component and reason, and the first {@code N} of them in full. Never changes a file. Exits 0 when sound, 1 when corruption was found, 2 when the
 * directories cannot be read.
 */
@Command(name = "inspect", description = "Report what a file channel holds, without changing its files.")
final class ChannelInspectCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT_DIR", description = "The channel's checkpointDir.")
    Path checkpointDir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "DATA_DIR",
            description = "The channel's dataDirs, in configuration order (comma-separated or separate arguments).")
    List<String> dataDirs;

    @Option(names = "--verify", description = "Check the checksum of every record (reads every byte).")
    boolean verify;

    @Option(names = "--dead-letters", description = "Read every queued event and summarise the dead letters"
            + " (events with a sluice.error header) by component and reason.")
    boolean deadLetters;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N",
            description = "With --dead-letters: how many dead letters to show in full, oldest first (default: 20).")
    int limit;

    @Override
    public Integer call() {
        List<Path> dirs = new ArrayList<>();
        for (String d : dataDirs) {
            for (String part : d.split(",")) {
                if (!part.isBlank()) {
                    dirs.add(Path.of(part.trim()));
                }
            }
        }
        List<Path> all = new ArrayList<>(dirs);
        all.add(checkpointDir);
        for (Path d : all) {
            if (!Files.isDirectory(d)) {
                spec.commandLine().getErr().println("sluice channel inspect: " + d + " is not a directory;"
                        + " give the channel's checkpointDir and then its dataDirs");
                return 2;
            }
        }
        if (limit < 0) {
            spec.commandLine().getErr().println("sluice channel inspect: --limit " + limit + ": must be 0 or more");
            return 2;
        }
        InspectionReport report;
        try {
            report = ChannelInspector.inspect(checkpointDir, dirs, verify,
                    deadLetters ? new DeadLetterSummary(limit) : null);
        } catch (IOException e) {
            spec.commandLine().getErr().println("sluice channel inspect: cannot read the channel: " + e);
            return 2;
        }
        spec.commandLine().getOut().print(report.render());
        spec.commandLine().getOut().flush();
        return report.corruption().isEmpty() ? 0 : 1;
    }
}
