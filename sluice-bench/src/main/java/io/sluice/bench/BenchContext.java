package io.sluice.bench;

import io.sluice.bench.harness.SluiceHome;
import java.io.PrintStream;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * What a running {@link Scenario} gets from the harness: the options, where the distributions
 * are, a scratch directory for configurations, data and process logs, and the output for per-run
 * lines. Not thread-safe (used from the harness thread).
 */
public final class BenchContext {
    private final BenchOptions options;
    private final SluiceHome home;
    private final Path workDirectory;
    private final PrintStream out;

    public BenchContext(BenchOptions options, SluiceHome home, Path workDirectory, PrintStream out) {
        this.options = requireNonNull(options, "options is null");
        this.home = requireNonNull(home, "home is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.out = requireNonNull(out, "out is null");
    }

    public BenchOptions options() {
        return options;
    }

    /** The source tree and the built distributions (Sluice's and the Apache Flume peer's). */
    public SluiceHome home() {
        return home;
    }

    /** A fresh directory for this invocation; scenarios create sub-directories per run. */
    public Path workDirectory() {
        return workDirectory;
    }

    /** Prints one progress or per-run line, prefixed with the scenario name by the caller. */
    public void log(String line) {
        out.println(line);
        out.flush();
    }
}
