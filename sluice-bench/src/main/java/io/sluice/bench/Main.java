package io.sluice.bench;

import io.sluice.bench.avro.AvroHopScenario;
import io.sluice.bench.avro.CollectorScenario;
import io.sluice.bench.channels.ChannelScenario;
import io.sluice.bench.filechannel.FileChannelScenario;
import io.sluice.bench.files.FilesScenario;
import io.sluice.bench.files.TaildirScenario;
import io.sluice.bench.flows.FlowsScenario;
import io.sluice.bench.harness.SluiceHome;
import io.sluice.bench.hdfs.HdfsScenario;
import io.sluice.bench.kafka.KafkaScenario;
import io.sluice.bench.memory.MemoryPipelineScenario;
import io.sluice.bench.metrics.MetricsScenario;
import io.sluice.bench.plugin.PluginScenario;
import io.sluice.bench.sql.SqlKafkaScenario;
import io.sluice.bench.sql.SqlScenario;
import io.sluice.bench.tap.TapScenario;
import io.sluice.bench.thrift.ThriftHop;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sluice-bench <scenario> [--runs N] [--seconds S] [--warmup S] [--jvm-opts "..."] [--spool-mb MB]}: runs one
 * scenario and prints its per-run lines, then one final line per comparison:
 * {@code scenario=<name> sluice_eps=<median> flume_eps=<median> ratio=<sluice/flume>}.
 * {@code --list} prints the scenarios. Exit status 0 on success, 2 on bad arguments, 1 on failure.
 */
public final class Main {
    private Main() {
    }

    /** Every scenario, in {@code --list} order. To add one, add one line. */
    static List<Scenario> scenarios() {
        List<Scenario> s = new ArrayList<>();
        s.add(new MemoryPipelineScenario());
        s.add(new FileChannelScenario());
        s.add(new AvroHopScenario());
        s.add(ThriftHop.scenario());
        s.add(new CollectorScenario());
        s.add(new PluginScenario());
        s.add(new FilesScenario());
        s.add(new TaildirScenario());
        s.add(SqlScenario.tumbling());
        s.add(SqlScenario.join());
        s.add(new KafkaScenario());
        s.add(new HdfsScenario());
        s.add(ChannelScenario.spillable());
        s.add(ChannelScenario.jdbc());
        s.add(new TapScenario());
        s.add(new MetricsScenario());
        s.add(new FlowsScenario());
        s.add(new SqlKafkaScenario());
        return s;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String scenarioName = null;
        BenchOptions d = BenchOptions.defaults();
        int runs = d.runs();
        int window = d.windowSeconds();
        int warmup = d.warmupSeconds();
        List<String> jvm = d.jvmOptions();
        long spoolBytes = d.spoolBytes();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--runs" -> runs = intArg(args, ++i, a);
                    case "--seconds" -> window = intArg(args, ++i, a);
                    case "--warmup" -> warmup = intArg(args, ++i, a);
                    case "--spool-mb" -> spoolBytes = intArg(args, ++i, a) * (1L << 20);
                    case "--jvm-opts" -> jvm = Arrays.asList(stringArg(args, ++i, a).trim().split("\\s+"));
                    case "--list", "-l" -> {
                        printScenarios(out);
                        return 0;
                    }
                    case "--help", "-h" -> {
                        usage(out);
                        return 0;
                    }
                    default -> {
                        if (a.startsWith("-") || scenarioName != null) {
                            throw new IllegalArgumentException("unexpected argument '" + a + "'");
                        }
                        scenarioName = a;
                    }
                }
            }
            if (scenarioName == null) {
                throw new IllegalArgumentException("name a scenario");
            }
        } catch (IllegalArgumentException e) {
            err.println("sluice-bench: " + e.getMessage());
            usage(err);
            return 2;
        }
        String wanted = scenarioName;
        Scenario scenario = scenarios().stream().filter(s -> s.name().equals(wanted)).findFirst().orElse(null);
        if (scenario == null) {
            err.println("sluice-bench: unknown scenario '" + wanted + "'");
            printScenarios(err);
            return 2;
        }
        try {
            BenchOptions options = new BenchOptions(runs, warmup, window, jvm, spoolBytes);
            Path work = Files.createTempDirectory("sluice-bench-" + scenario.name() + "-");
            out.printf("# %s: %s%n# runs=%d warmup=%ds window=%ds jvm=%s work=%s%n", scenario.name(),
                    scenario.description(), runs, warmup, window, String.join(" ", jvm), work);
            List<Comparison> results = scenario.run(new BenchContext(options, SluiceHome.locate(), work, out));
            for (Comparison c : results) {
                out.println(c.finalLine());
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("sluice-bench: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sluice-bench: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("sluice-bench: scenario " + scenario.name() + " failed: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        }
    }

    private static int intArg(String[] args, int i, String option) {
        String v = stringArg(args, i, option);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not a whole number");
        }
    }

    private static String stringArg(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void printScenarios(PrintStream out) {
        out.println("scenarios:");
        for (Scenario s : scenarios()) {
            out.printf("  %-18s %s%n", s.name(), s.description());
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: sluice-bench <scenario> [--runs N (3)] [--seconds S (10)] [--warmup S (5)]"
                + " [--jvm-opts \"-Xms2g -Xmx2g\"] [--spool-mb MB (1024), files only] | --list");
    }
}
