package io.sluice.e2e.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a real Apache Flume 1.11.0 agent ({@code org.apache.flume.node.Application}) from the jars
 * laid out by {@code sluice-bench/flume-peer}, with its own classpath (Flume's Netty and Avro, not
 * Sluice's). Stateless.
 */
public final class FlumePeer {
    public static final String MAIN = "org.apache.flume.node.Application";

    private FlumePeer() {
    }

    /**
     * Starts {@code Application -n <agent> -f <config> --no-reload-conf} in {@code workDir}.
     * {@code jvmOptions} are added to the test defaults, e.g.
     * {@code -Dflume.monitoring.type=http -Dflume.monitoring.port=N}. Flume logs at INFO to stdout.
     */
    public static ChildProcess startAgent(String name, Path workDir, Path config, String agent, String... jvmOptions)
            throws IOException {
        return startAgent(name, workDir, config, agent, List.of(), jvmOptions);
    }

    /**
     * As {@link #startAgent(String, Path, Path, String, String...)}, with {@code extraClasspath}
     * (plugin jars) after Flume's own jars, as Flume's launcher adds {@code plugins.d} jars.
     */
    public static ChildProcess startAgent(String name, Path workDir, Path config, String agent,
            List<Path> extraClasspath, String... jvmOptions) throws IOException {
        Files.createDirectories(workDir);
        Path log4j = workDir.resolve("log4j2-e2e.xml");
        Files.writeString(log4j, """
                <Configuration status="ERROR">
                  <Appenders><Console name="c" target="SYSTEM_OUT">
                    <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %m%n"/></Console></Appenders>
                  <Loggers><Root level="INFO"><AppenderRef ref="c"/></Root></Loggers>
                </Configuration>
                """);
        List<String> jvm = new ArrayList<>(Distribution.TEST_JVM_OPTIONS);
        jvm.add("-Dlog4j.configurationFile=" + log4j);
        jvm.addAll(Arrays.asList(jvmOptions));
        StringBuilder cp = new StringBuilder(Distribution.wildcard(Distribution.flumeLib()));
        for (Path p : extraClasspath) {
            cp.append(File.pathSeparator).append(p.toAbsolutePath());
        }
        return ChildProcess.start(name, Distribution.javaCommand(jvm, cp.toString(),
                MAIN, List.of("-n", agent, "-f", config.toString(), "--no-reload-conf")), workDir, Map.of());
    }
}
