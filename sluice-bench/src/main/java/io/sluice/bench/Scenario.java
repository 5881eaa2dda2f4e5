package io.sluice.bench;

import java.util.List;

/**
 * One benchmark that measures Sluice against a peer on the same workload. Implementations are
 * listed in {@link Main#scenarios()}; to add one, implement this interface in your own package and
 * add one {@code s.add(new YourScenario());} line there.
 *
 * <p>A scenario does its own work (start processes, run engines in-process, ...) but reports only
 * through {@link BenchContext#log} (one line per run) and the {@link Comparison}s it returns; the
 * harness prints each comparison's {@link Comparison#finalLine()} at the end.
 */
public interface Scenario {

    /** The name typed on the command line, e.g. {@code memory-pipeline}. */
    String name();

    /** One line for {@code --list}: what flows through what. */
    String description();

    /**
     * Runs the scenario with {@code context.options().runs()} runs per side, alternating the sides,
     * and returns one comparison per reported variant (most scenarios return exactly one; e.g. a
     * scenario measured at two batch sizes returns two).
     */
    List<Comparison> run(BenchContext context) throws Exception;
}
