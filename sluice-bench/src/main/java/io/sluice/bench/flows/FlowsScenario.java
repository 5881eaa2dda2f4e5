package io.sluice.bench.flows;

import com.sun.management.OperatingSystemMXBean;
import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.bench.harness.SluiceHome;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.FlowCounters;
import io.sluice.sql.server.ServerOptions;
import io.sluice.sql.server.SqlServer;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code flows}: an rtsql server in this JVM (flows on its default pool, one thread per core) runs
 * {@code sluice.bench.flows.count} flows (default 100: a third filters, a third projections, a
 * third tumbling aggregates) over one stream {@code FROM NODE 'a1.r1'}; an agent in a child JVM
 * (seq, batch 1000 -> memory -> null) tees its source to it. The agent runs at full speed; its tee
 * sends what the server takes and its tap drops (and counts) the rest, never slowing the agent.
 * After the warm-up, over the window: the stream's rate (events the server received per second),
 * the rows all flows processed per second, and the server's CPU (this JVM's CPU time, in cores).
 * Then the agent is stopped and, once every flow has caught up, the fewest and most events a flow
 * saw of all the server received, and what was lost between the stream and its flows (must be 0). There is no peer: FlumeBase's
 * server cannot be run side by side. Prints {@code scenario=flows flows=100 ...}.
 */
public final class FlowsScenario implements Scenario {
    private static final long QUIET_NANOS = 3_000_000_000L;

    @Override
    public String name() {
        return "flows";
    }

    @Override
    public String description() {
        return "100 rtsql flows (filters, projections, tumbling aggregates) on one server over one agent's tee;"
                + " stream rate, rows/s, lost, server CPU";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        BenchOptions o = context.options();
        int count = Integer.getInteger("sluice.bench.flows.count", 100);
        for (int run = 1; run <= o.runs(); run++) {
            measure(context, count, run);
        }
        return List.of();
    }

    private static String query(int i) {
        return switch (i % 3) {
            case 0 -> "SELECT n FROM ev WHERE n % " + (2 + i % 7) + " = 0";
            case 1 -> "SELECT n * 2 AS m, n % 10 AS d FROM ev";
            default -> "SELECT n % 10 AS k, COUNT(*) AS c, MAX(n) AS top FROM ev GROUP BY n % 10"
                    + " OVER TUMBLING INTERVAL 1 SECONDS";
        };
    }

    private void measure(BenchContext context, int count, int run) throws Exception {
        BenchOptions o = context.options();
        Path runDir = context.workDirectory().resolve(name()).resolve("run-" + run);
        Files.createDirectories(runDir);
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, runDir.resolve("server")),
                EngineOptions.builder())) {
            server.engine().execute("CREATE STREAM ev (n BIGINT) FROM NODE 'a1.r1'");
            List<Flow> flows = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                flows.add(server.engine().execute(query(i)).flow().orElseThrow());
            }
            String conf = String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                    "a1.sources.r1.type = seq", "a1.sources.r1.batchSize = 1000",
                    "a1.sources.r1.channels = c1", "a1.channels.c1.type = memory",
                    "a1.channels.c1.capacity = 1000000", "a1.channels.c1.transactionCapacity = 1000",
                    "a1.sinks.k1.type = null", "a1.sinks.k1.batchSize = 1000", "a1.sinks.k1.channel = c1", "");
            Path confFile = Files.writeString(runDir.resolve("flume.conf"), conf);
            int port = FreePorts.tcp();
            Path lib = context.home().sluiceLib();
            List<String> args = List.of("agent", "-n", "a1", "-f", confFile.toString(), "--no-reload-conf",
                    "-c", lib.resolveSibling("conf").toString(), "--data-dir", runDir.resolve("data").toString(),
                    "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + port,
                    "--rtsql-server", "127.0.0.1:" + server.address().getPort(), "--rtsql-token-file",
                    server.options().dataDir().resolve("token").toString());
            ChildJvm agent = ChildJvm.start("agent", o.jvmOptions(), SluiceHome.wildcard(lib), "io.sluice.cli.Main",
                    args, runDir, runDir.resolve("agent.log"));
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long produced;
            long teeDropped;
            long windowEvents;
            long windowRows;
            double seconds;
            long cpu;
            try (agent) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (received(server) == 0) {
                    check(agent, deadline, "the tee to deliver its first batch");
                    LockSupport.parkNanos(10_000_000);
                }
                LockSupport.parkNanos(o.warmupSeconds() * 1_000_000_000L);
                check(agent, Long.MAX_VALUE, "the warm-up to end");
                long r0 = received(server);
                long rows0 = seen(flows);
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                LockSupport.parkNanos(o.windowSeconds() * 1_000_000_000L);
                check(agent, Long.MAX_VALUE, "the window to end");
                seconds = (System.nanoTime() - t0) / 1e9;
                cpu = os.getProcessCpuTime() - cpu0;
                windowEvents = received(server) - r0;
                windowRows = seen(flows) - rows0;
                MetricsClient metrics = new MetricsClient(port);
                teeDropped = counter(metrics, "TEE.rtsql", "EventDroppedCount");
                produced = counter(metrics, "CHANNEL.c1", "EventPutSuccessCount");
            }
            // the agent is gone: wait until every flow has seen or dropped every event the server received
            long deadline = System.nanoTime() + 300_000_000_000L;
            long last = -1;
            long lastChange = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                long r = received(server);
                if (r != last) {
                    last = r;
                    lastChange = now;
                }
                if (accounted(flows) >= r && now - lastChange > QUIET_NANOS) {
                    break;
                }
                if (now > deadline) {
                    throw new IllegalStateException("gave up after 5 minutes waiting for every flow to see the "
                            + last + " teed events; the slowest has " + accounted(flows));
                }
                LockSupport.parkNanos(20_000_000);
            }
            long min = Long.MAX_VALUE;
            long max = 0;
            long dropped = 0;
            for (Flow f : flows) {
                FlowCounters c = f.counters();
                min = Math.min(min, c.eventsIn());
                max = Math.max(max, c.eventsIn());
                dropped += c.dropped();
            }
            int threads = server.engine().flowThreads();
            context.log(String.format(Locale.ROOT, "flows run %d/%d: the agent put %d events, its tap dropped %d (a tee"
                    + " drops rather than slow the agent); the server received %d; %d flows on %d threads; window %.2f s",
                    run, o.runs(), produced, teeDropped, last, flows.size(), threads, seconds));
            context.log(String.format(Locale.ROOT, "scenario=flows flows=%d threads=%d events=%d stream_eps=%.0f"
                    + " rows_per_s=%.0f min_seen=%d max_seen=%d lost=%d cpu=%.2f", flows.size(), threads, last,
                    windowEvents / seconds, windowRows / seconds, min, max, dropped + (last - min), cpu / 1e9 / seconds));
        }
    }

    private static void check(ChildJvm agent, long deadline, String what) {
        if (!agent.isAlive()) {
            throw new IllegalStateException("the agent exited while waiting for " + what + "; log " + agent.logFile()
                    + ":\n" + agent.logTail(30));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("gave up waiting for " + what);
        }
    }

    /** Events the server received on the tee of a1.r1. */
    @SuppressWarnings("unchecked")
    private static long received(SqlServer server) {
        for (Map<String, Object> node : server.nodes().describe()) {
            for (Map<String, Object> tee : (List<Map<String, Object>>) node.get("tees")) {
                if ("r1".equals(tee.get("component"))) {
                    return ((Number) tee.get("eventsReceived")).longValue();
                }
            }
        }
        return 0;
    }

    /** An agent counter, or -1 when its metrics port does not answer three times (a busy machine). */
    private static long counter(MetricsClient metrics, String group, String name) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            try {
                return metrics.read(group, name).value();
            } catch (IOException e) {
                // asked again; the figures that matter are the server's
            }
        }
        return -1;
    }

    /** Events every flow has seen, summed. */
    private static long seen(List<Flow> flows) {
        long sum = 0;
        for (Flow f : flows) {
            sum += f.counters().eventsIn();
        }
        return sum;
    }

    /** The fewest events a flow has seen or dropped. */
    private static long accounted(List<Flow> flows) {
        long min = Long.MAX_VALUE;
        for (Flow f : flows) {
            FlowCounters c = f.counters();
            min = Math.min(min, c.eventsIn() + c.dropped());
        }
        return min;
    }
}
