package io.sluice.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of an agent-versus-agent benchmark: how to start an agent process of that product on a
 * Flume-format configuration file with its HTTP metrics on a given port.
 */
public enum AgentSide {
    /** Apache Flume 1.11.0 from Maven Central jars ({@code org.apache.flume.node.Application}). */
    FLUME("flume") {
        @Override
        public ChildJvm start(SluiceHome home, List<String> jvmOptions, String agentName, Path configFile,
                int metricsPort, Path runDir) throws IOException {
            List<String> jvm = new ArrayList<>(jvmOptions);
            jvm.add("-Dflume.monitoring.type=http");
            jvm.add("-Dflume.monitoring.port=" + metricsPort);
            jvm.add("-Dlog4j.configurationFile=" + home.flumeLog4jConfig());
            return ChildJvm.start(label(), jvm, SluiceHome.wildcard(home.flumeLib()),
                    "org.apache.flume.node.Application",
                    List.of("-n", agentName, "-f", configFile.toString(), "--no-reload-conf"),
                    runDir, runDir.resolve("agent.log"));
        }
    },
    /** Sluice from its distribution ({@code sluice-cli/target/sluice}). */
    SLUICE("sluice") {
        @Override
        public ChildJvm start(SluiceHome home, List<String> jvmOptions, String agentName, Path configFile,
                int metricsPort, Path runDir) throws IOException {
            Path lib = home.sluiceLib();
            return ChildJvm.start(label(), jvmOptions, SluiceHome.wildcard(lib), "io.sluice.cli.Main",
                    List.of("agent", "-n", agentName, "-f", configFile.toString(), "--no-reload-conf",
                            "-c", lib.resolveSibling("conf").toString(),
                            "--data-dir", runDir.resolve("data").toString(),
                            "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort),
                    runDir, runDir.resolve("agent.log"));
        }
    };

    private final String label;

    AgentSide(String label) {
        this.label = label;
    }

    /** {@code flume} or {@code sluice}, as printed in per-run lines and in {@code <label>_eps}. */
    public String label() {
        return label;
    }

    /** Starts the agent; its output goes to {@code runDir/agent.log}. */
    public abstract ChildJvm start(SluiceHome home, List<String> jvmOptions, String agentName, Path configFile,
            int metricsPort, Path runDir) throws IOException;
}
