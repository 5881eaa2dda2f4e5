package io.sluice.bench.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
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
                int metricsPort, Path runDir, Path pluginsDir) throws IOException {
            List<String> jvm = new ArrayList<>(jvmOptions);
            jvm.add("-Dflume.monitoring.type=http");
            jvm.add("-Dflume.monitoring.port=" + metricsPort);
            jvm.add("-Dlog4j.configurationFile=" + home.flumeLog4jConfig());
            StringBuilder classpath = new StringBuilder(SluiceHome.wildcard(home.flumeLib()));
            if (pluginsDir != null) { // what Flume's launcher does with plugins.d: */lib/* and */libext/*
                try (var plugins = Files.list(pluginsDir)) {
                    for (Path p : plugins.sorted().toList()) {
                        classpath.append(File.pathSeparator).append(SluiceHome.wildcard(p.resolve("lib")))
                                .append(File.pathSeparator).append(SluiceHome.wildcard(p.resolve("libext")));
                    }
                }
            }
            return ChildJvm.start(label(), jvm, classpath.toString(),
                    "org.apache.flume.node.Application",
                    List.of("-n", agentName, "-f", configFile.toString(), "--no-reload-conf"),
                    runDir, runDir.resolve("agent.log"));
        }
    },
    /** Sluice from its distribution ({@code sluice-cli/target/sluice}). */
    SLUICE("sluice") {
        @Override
        public ChildJvm start(SluiceHome home, List<String> jvmOptions, String agentName, Path configFile,
                int metricsPort, Path runDir, Path pluginsDir) throws IOException {
            Path lib = home.sluiceLib();
            List<String> jvm = new ArrayList<>(jvmOptions);
            if (pluginsDir != null) {
                jvm.add("-Dsluice.plugins.path=" + pluginsDir);
            }
            return ChildJvm.start(label(), jvm, SluiceHome.wildcard(lib), "io.sluice.cli.Main",
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
    public ChildJvm start(SluiceHome home, List<String> jvmOptions, String agentName, Path configFile,
            int metricsPort, Path runDir) throws IOException {
        return start(home, jvmOptions, agentName, configFile, metricsPort, runDir, null);
    }

    /**
     * Starts the agent with the plugins of {@code pluginsDir} (a {@code plugins.d} layout; null for
     * none) installed the way each product installs them: on Apache Flume's class path, as its
     * launcher does, and through {@code -Dsluice.plugins.path} for Sluice.
     */
    public abstract ChildJvm start(SluiceHome home, List<String> jvmOptions, String agentName, Path configFile,
            int metricsPort, Path runDir, Path pluginsDir) throws IOException;
}
