package io.sluice.cli.channel;

import io.sluice.api.ComponentKind;
import io.sluice.api.Transaction;
import io.sluice.api.config.ConfigProblem;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelFactory;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.flume.bridge.FlumeFileChannelImport;
import io.sluice.flume.bridge.FlumeFileChannelImport.ImportException;
import io.sluice.flume.bridge.PluginPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice channel import --from-flume CHECKPOINT_DIR DATA_DIR... --to-checkpoint-dir DIR
 * --to-data-dirs DIR[,DIR]}: moves every event an Apache Flume 1.11 file channel still holds into a
 * Sluice file channel, oldest first, with its headers, in transactions of {@code --batch-size}
 * events, and says how many it moved. Flume's files are only read. Exits 0 when every event was
 * moved, 1 when the import stopped part way (the events moved so far stay in the Sluice channel),
 * 2 when nothing was moved because the input or the target is wrong.
 */
@Command(name = "import", description = "Move the events an Apache Flume file channel still holds into a Sluice"
        + " file channel; Flume's files are only read.")
final class ChannelImportCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Option(names = "--from-flume", required = true,
            description = "The directories are an Apache Flume 1.11 file channel's (the only source format).")
    boolean fromFlume;

    @Parameters(index = "0", paramLabel = "CHECKPOINT_DIR", description = "Flume's checkpointDir.")
    Path checkpointDir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "DATA_DIR",
            description = "Flume's dataDirs, in configuration order (comma-separated or separate arguments).")
    List<String> dataDirs;

    @Option(names = "--to-checkpoint-dir", required = true, paramLabel = "DIR",
            description = "checkpointDir of the Sluice file channel to fill (created if missing).")
    Path toCheckpointDir;

    @Option(names = "--to-data-dirs", required = true, paramLabel = "DIR[,DIR]",
            description = "dataDirs of the Sluice file channel to fill.")
    String toDataDirs;

    @Option(names = "--to", paramLabel = "KEY=VALUE",
            description = "Any other key of the Sluice file channel, e.g. --to capacity=2000000 (repeatable).")
    Map<String, String> toKeys = new LinkedHashMap<>();

    @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "N",
            description = "Events per transaction (default: 1000; at most the channel's transactionCapacity).")
    int batchSize;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where Flume's files are copied while they are read (default: java.io.tmpdir; needs"
                    + " their size free).")
    Path workDir;

    @Option(names = "--append", description = "Import even when the Sluice channel already holds events.")
    boolean append;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<Path> flumeDataDirs = new ArrayList<>();
        for (String d : dataDirs) {
            for (String part : d.split(",")) {
                if (!part.isBlank()) {
                    flumeDataDirs.add(Path.of(part.trim()));
                }
            }
        }
        if (batchSize < 1) {
            err.println("sluice channel import: --batch-size " + batchSize + ": must be at least 1");
            return 2;
        }
        try {
            FlumeFileChannelImport.check(checkpointDir, flumeDataDirs);
        } catch (ImportException e) {
            err.println("sluice channel import: " + e.getMessage());
            return 2;
        }
        FileChannel target = openTarget(err);
        if (target == null) {
            return 2;
        }
        AtomicLong moved = new AtomicLong();
        try {
            int already = target.size();
            if (already > 0 && !append) {
                err.println("sluice channel import: the Sluice channel in " + toCheckpointDir + " already holds "
                        + already + " event(s); importing into it twice would deliver events twice. Use an empty"
                        + " channel, or add --append");
                return 2;
            }
            Path work = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
            long total = FlumeFileChannelImport.run(checkpointDir, flumeDataDirs, work, batchSize,
                    PluginPaths.fromSystemProperties(), batch -> {
                        try (Transaction tx = target.getTransaction()) {
                            tx.begin();
                            tx.putAll(batch);
                            tx.commit();
                        }
                        moved.addAndGet(batch.size());
                    });
            PrintWriter out = spec.commandLine().getOut();
            out.println("moved " + total + " event(s) from the Apache Flume file channel in " + checkpointDir
                    + " into the Sluice file channel in " + toCheckpointDir);
            out.println("Flume's files were not changed: do not run the Flume channel on them again, or its"
                    + " sinks would deliver these events a second time.");
            out.flush();
            return 0;
        } catch (ImportException e) {
            err.println("sluice channel import: " + e.getMessage());
            return moved.get() == 0 ? 2 : partial(err, moved.get());
        } catch (RuntimeException e) {
            err.println("sluice channel import: " + e);
            return moved.get() == 0 ? 2 : partial(err, moved.get());
        } finally {
            target.stop();
            err.flush();
        }
    }

    private int partial(PrintWriter err, long moved) {
        err.println("sluice channel import: " + moved + " event(s) were moved, in order, before the import stopped;"
                + " they are committed in the Sluice channel in " + toCheckpointDir + ". To start over, delete"
                + " that channel's directories and import again");
        return 1;
    }

    /** The Sluice file channel, started; null (after printing every problem) when its keys are wrong. */
    private FileChannel openTarget(PrintWriter err) {
        Map<String, String> keys = new LinkedHashMap<>(toKeys);
        keys.put("checkpointDir", toCheckpointDir.toString());
        keys.put("dataDirs", toDataDirs);
        keys.putIfAbsent("transactionCapacity", Integer.toString(Math.max(batchSize, 10_000)));
        SingleComponentConfig config = SingleComponentConfig.builder(ComponentKind.CHANNEL, "import")
                .agentName("import").origin("sluice channel import").keys(keys).build();
        FileChannel channel = (FileChannel) new FileChannelFactory().create(config.context());
        if (!config.problems().isEmpty() || channel == null) {
            for (ConfigProblem p : config.problems()) {
                err.println("sluice channel import: Sluice channel option " + p);
            }
            return null;
        }
        try {
            channel.start();
        } catch (RuntimeException e) {
            err.println("sluice channel import: cannot open the Sluice file channel in " + toCheckpointDir + ": "
                    + e.getMessage());
            return null;
        }
        return channel;
    }
}
