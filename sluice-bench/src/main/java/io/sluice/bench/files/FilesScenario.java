package io.sluice.bench.files;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code files}: the file and log sources, Apache Flume 1.11 and Sluice in the same run, one final
 * line per source: {@code scenario=spooldir} ({@link SpoolDirBench}: a spool directory holding one
 * file of 100-byte lines, 1 GiB unless {@code --spool-mb} says otherwise, read to the end) and
 * {@code scenario=syslogtcp} ({@link SyslogTcpBench}: one TCP sender writing as fast as the source
 * reads). Each goes through a {@code memory} channel to a {@code null} sink.
 */
public final class FilesScenario implements Scenario {

    /** The end of every configuration of this scenario: the source's channel and a null sink draining it. */
    static final String MEMORY_TO_NULL = String.join("\n",
            "a1.channels.c1.type = memory",
            "a1.channels.c1.capacity = 1000000",
            "a1.channels.c1.transactionCapacity = 1000",
            "a1.sinks.k1.type = null",
            "a1.sinks.k1.batchSize = 1000",
            "a1.sinks.k1.channel = c1",
            "");

    /** The system property naming the sources to measure (all when unset). */
    static final String ONLY = "sluice.bench.files";
    private static final List<String> NAMES = List.of("taildir", "spooldir", "syslogtcp");

    /** One source's measurement; returns its comparison. */
    @FunctionalInterface
    interface SourceBench {
        Comparison run(BenchContext context) throws Exception;
    }

    /**
     * The benches in the order their lines are printed, limited to the names listed in the system
     * property {@value #ONLY} (comma-separated: {@code taildir}, {@code spooldir}, {@code syslogtcp})
     * when it is set, so one source can be measured alone.
     */
    static List<SourceBench> benches() {
        String only = System.getProperty(ONLY, "");
        List<String> wanted = only.isBlank() ? NAMES : List.of(only.trim().split("\\s*,\\s*"));
        for (String w : wanted) {
            if (!NAMES.contains(w)) {
                throw new IllegalArgumentException("-D" + ONLY + ": unknown source '" + w + "' (expected some of "
                        + String.join(", ", NAMES) + ")");
            }
        }
        List<SourceBench> b = new ArrayList<>();
        if (wanted.contains("taildir")) {
            b.add(new TaildirScenario()::compare);
        }
        if (wanted.contains("spooldir")) {
            b.add(new SpoolDirBench());
        }
        if (wanted.contains("syslogtcp")) {
            b.add(new SyslogTcpBench());
        }
        return b;
    }

    @Override
    public String name() {
        return "files";
    }

    @Override
    public String description() {
        return "spooldir (1 GiB of 100-byte lines, --spool-mb to change) and syslogtcp (one TCP sender), each"
                + " -> memory -> null, one line per source";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        List<Comparison> out = new ArrayList<>();
        for (SourceBench b : benches()) {
            out.add(b.run(context));
        }
        return out;
    }
}
