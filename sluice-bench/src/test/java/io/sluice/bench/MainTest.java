package io.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void listNamesEveryScenario() {
        assertThat(run("--list")).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).first().isEqualTo("scenarios:");
        List<String> listed = lines.subList(1, lines.size()).stream().map(l -> l.trim().split("\\s+", 2)[0]).toList();
        // the README documents each of these; a scenario dropped from or added to Main.scenarios() shows here
        assertThat(listed).containsExactly("memory-pipeline", "file-channel", "avro-hop", "thrift-hop", "collector", "plugin", "files",
                "taildir", "sql-tumbling", "sql-join", "kafka", "hdfs", "spillable", "jdbc", "tap", "metrics",
                "flows",
                "sql-kafka");
        for (Scenario s : Main.scenarios()) {
            assertThat(lines).as("line of " + s.name()).anySatisfy(l -> assertThat(l.trim())
                    .startsWith(s.name()).endsWith(s.description()));
        }
    }

    @Test
    void anUnknownScenarioIsAUsageErrorThatListsTheKnownOnes() {
        assertThat(run("no-such-scenario")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown scenario 'no-such-scenario'")
                .contains("memory-pipeline");
    }

    @Test
    void aNonNumericRunCountIsAUsageError() {
        assertThat(run("memory-pipeline", "--runs", "three")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--runs: 'three' is not a whole number");
    }

    @Test
    void zeroRunsAreRefusedWithTheExpectedRange() {
        assertThat(run("memory-pipeline", "--runs", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("runs: 0 (expected: > 0)");
    }

    /** The metrics scenario at a small scale: 3 targets, a 3 s minute; its line carries every figure. */
    @Test
    void theMetricsScenarioRunsAtASmallScaleAndPrintsItsFiguresOnOneLine() {
        System.setProperty("sluice.bench.metrics.targets", "3");
        System.setProperty("sluice.bench.metrics.minuteMillis", "3000");
        try {
            assertThat(run("metrics")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.clearProperty("sluice.bench.metrics.targets");
            System.clearProperty("sluice.bench.metrics.minuteMillis");
        }
        String line = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("scenario=metrics"))
                .findFirst().orElseThrow();
        assertThat(line).contains("targets=3 samples=4509 samples_per_minute=").contains(" dropped=0 ")
                .contains(" cpu_cores=").contains(" heap_per_series=").contains(" query_100k_ms=")
                .contains(" query_series=4500 ");
        // the first minute's burst is stored within the run, so its duration is a number, never NaN
        Matcher burst = Pattern.compile(" burst_s=(\\S+) ").matcher(line);
        assertThat(burst.find()).as(line).isTrue();
        assertThat(burst.group(1)).as(line).matches("\\d+\\.\\d");
        assertThat(Double.parseDouble(burst.group(1))).as(line).isPositive().isLessThanOrEqualTo(3.0 + 60.0);
    }

    @Test
    void everyScenarioHasAUniqueName() {
        assertThat(Main.scenarios()).extracting(Scenario::name).doesNotHaveDuplicates();
    }
}
