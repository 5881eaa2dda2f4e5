package io.sluice.bench.memory;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.harness.SluiceHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke test of the harness, not a benchmark: one run per side with a one-second window shows
 * that both the Apache Flume peer and Sluice start from their distributions, serve the same
 * counter, and move events, and that the final line has its documented shape.
 */
class MemoryPipelineScenarioIT {

    @TempDir
    Path work;

    @Test
    void bothSidesRunAndTheFinalLineHasItsShape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchContext context = new BenchContext(new BenchOptions(1, 0, 1, List.of("-Xmx256m")), SluiceHome.locate(),
                work, new PrintStream(out, true, StandardCharsets.UTF_8));

        List<Comparison> results = new MemoryPipelineScenario().run(context);

        assertThat(results).hasSize(1);
        Comparison c = results.get(0);
        assertThat(c.peerMedian()).as("Apache Flume moved events").isPositive();
        assertThat(c.sluiceMedian()).as("Sluice moved events").isPositive();
        assertThat(c.finalLine()).matches("scenario=memory-pipeline sluice_eps=\\d+ flume_eps=\\d+ ratio=\\d+\\.\\d\\d");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("memory-pipeline run 1/1 flume ")
                .contains("memory-pipeline run 1/1 sluice ");
    }
}
