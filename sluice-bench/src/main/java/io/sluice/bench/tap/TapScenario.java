package io.sluice.bench.tap;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.bench.harness.ProcessCpu;
import io.sluice.bench.harness.SideBySideAgents;
import io.sluice.bench.harness.SluiceHome;
import io.sluice.bench.memory.MemoryPipelineScenario;
import io.sluice.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code tap}: the {@code memory-pipeline} agent (seq, batch 1000 -> memory channel -> null sink)
 * run as a child JVM without a tee, then with {@code --rtsql-server} pointing at a {@link
 * TeeReceiver} in this JVM that wants source {@code r1} teed and reads every batch; alternating,
 * {@code --runs} times each. Throughput is the channel's takes per second, as in
 * {@code memory-pipeline}; ratio = with the tee over without. Each run's line also says how many
 * events per second the tee delivered to the receiver and the share the tap dropped (by design a
 * tee drops what its bounded queue cannot hold rather than slow the agent).
 */
public final class TapScenario implements Scenario {
    private static final String GROUP = "CHANNEL.c1";
    private static final String COUNTER = "EventTakeSuccessCount";
    /** The agent a1's tee sender threads ({@code rtsql-tee-<agent>.<component>}, not its metrics ticker). */
    private static final String TEE_THREAD = "rtsql-tee-a1.";
    /** {@code -Dsluice.bench.tap.teeCpu=SHARE} runs the tapped agents with {@code --rtsql-tee-cpu SHARE} (to compare shares). */
    private static final String TEE_CPU_PROPERTY = "sluice.bench.tap.teeCpu";

    @Override
    public String name() {
        return "tap";
    }

    @Override
    public String description() {
        return "memory-pipeline with an rtsql tee on source r1 (posting to a local receiver) over without one";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        BenchOptions o = context.options();
        List<Double> plain = new ArrayList<>();
        List<Double> teed = new ArrayList<>();
        for (int i = 1; i <= o.runs(); i++) {
            plain.add(measure(context, false, i));
            teed.add(measure(context, true, i));
        }
        return List.of(new Comparison(name(), "untapped", teed, plain));
    }

    private double measure(BenchContext context, boolean tee, int run) throws Exception {
        BenchOptions o = context.options();
        String label = tee ? "tapped" : "untapped";
        Path runDir = context.workDirectory().resolve(name()).resolve(label + "-" + run);
        Files.createDirectories(runDir);
        Path conf = Files.writeString(runDir.resolve("flume.conf"), MemoryPipelineScenario.CONFIG);
        String token = UUID.randomUUID().toString();
        Path tokenFile = Files.writeString(runDir.resolve("token"), token + "\n");
        int port = FreePorts.tcp();
        try (TeeReceiver receiver = new TeeReceiver(token, "r1")) {
            SluiceHome home = context.home();
            Path lib = home.sluiceLib();
            List<String> args = new ArrayList<>(List.of("agent", "-n", "a1", "-f", conf.toString(), "--no-reload-conf",
                    "-c", lib.resolveSibling("conf").toString(), "--data-dir", runDir.resolve("data").toString(),
                    "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + port));
            if (tee) {
                args.addAll(List.of("--rtsql-server", "127.0.0.1:" + receiver.port(), "--rtsql-token-file",
                        tokenFile.toString()));
                // unset by default: the tee runs with the product's default CPU share
                String share = System.getProperty(TEE_CPU_PROPERTY);
                if (share != null) {
                    args.addAll(List.of("--rtsql-tee-cpu", share));
                }
            }
            try (ChildJvm agent = ChildJvm.start(label, o.jvmOptions(), SluiceHome.wildcard(lib), "io.sluice.cli.Main",
                    args, runDir, runDir.resolve("agent.log"))) {
                MetricsClient metrics = new MetricsClient(port);
                SideBySideAgents.awaitMoving(agent, metrics, GROUP, COUNTER);
                if (tee) {
                    SideBySideAgents.awaitMoving(agent, metrics, "TEE.rtsql", "EventTeedCount");
                }
                Thread.sleep(o.warmupSeconds() * 1000L);
                long teedBefore = receiver.events();
                long self = ProcessHandle.current().pid();
                long agentCpuBefore = ProcessCpu.nanos(agent.pid());
                long benchCpuBefore = ProcessCpu.nanos(self);
                long teeCpuBefore = ProcessCpu.threadNanos(agent.pid(), TEE_THREAD);
                MetricsClient.Window w = metrics.window(GROUP, COUNTER, 0, o.windowSeconds());
                long agentCpu = ProcessCpu.nanos(agent.pid()) - agentCpuBefore;
                long benchCpu = ProcessCpu.nanos(self) - benchCpuBefore;
                long teeCpu = ProcessCpu.threadNanos(agent.pid(), TEE_THREAD) - teeCpuBefore;
                long teed = receiver.events() - teedBefore;
                if (!agent.isAlive()) {
                    throw new IllegalStateException(label + " agent exited during the window; log " + agent.logFile()
                            + ":\n" + agent.logTail(30));
                }
                double eps = w.eventsPerSecond();
                String teeText = "";
                if (tee) {
                    long dropped = metrics.read("TEE.rtsql", "EventDroppedCount").value();
                    long sent = metrics.read("TEE.rtsql", "EventTeedCount").value();
                    long paused = metrics.read("TEE.rtsql", "CpuBudgetPausedMillis").value();
                    teeText = String.format(Locale.ROOT, ", tee delivered %.0f events/s, %.1f%% of the tapped events "
                            + "dropped so far, %.1f s paused by its CPU budget so far", teed / w.seconds(),
                            100.0 * dropped / Math.max(1, dropped + sent), paused / 1000.0);
                }
                String cpuText = String.format(Locale.ROOT, "; agent cpu %.2f cores, %.1f ns per event taken",
                        agentCpu / 1e9 / w.seconds(), (double) agentCpu / Math.max(1, w.events()));
                if (tee) {
                    cpuText += String.format(Locale.ROOT, "; tee thread cpu %.2f cores, %.1f ns per event teed; receiver "
                            + "(this JVM) cpu %.2f cores, %.1f ns per event received", teeCpu / 1e9 / w.seconds(),
                            (double) teeCpu / Math.max(1, teed), benchCpu / 1e9 / w.seconds(),
                            (double) benchCpu / Math.max(1, teed));
                }
                context.log(String.format(Locale.ROOT, "%s run %d/%d %-8s eps=%.0f (%d events in %.2f s, %s.%s%s%s)",
                        name(), run, o.runs(), label, eps, w.events(), w.seconds(), GROUP, COUNTER, teeText, cpuText));
                return eps;
            }
        }
    }
}
