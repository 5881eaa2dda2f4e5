package io.sluice.bench.files;

import io.sluice.bench.BenchContext;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * One agent of one run: its directory, its configuration file, the child JVM started from it with
 * HTTP metrics on a free port, and the metrics client. Closing it stops the JVM. Not thread-safe.
 */
final class AgentRun implements AutoCloseable {
    static final long START_TIMEOUT_MILLIS = 90_000;
    static final String GROUP = "CHANNEL.c1";
    static final String COUNTER = "EventTakeSuccessCount";

    private final ChildJvm jvm;
    private final MetricsClient metrics;

    private AgentRun(ChildJvm jvm, MetricsClient metrics) {
        this.jvm = requireNonNull(jvm, "jvm is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    static AgentRun start(BenchContext context, AgentSide side, Path runDir, String config) throws IOException {
        Files.createDirectories(runDir);
        Path conf = runDir.resolve("flume.conf");
        Files.writeString(conf, config);
        int port = FreePorts.tcp();
        ChildJvm jvm = side.start(context.home(), context.options().jvmOptions(), "a1", conf, port, runDir);
        return new AgentRun(jvm, new MetricsClient(port));
    }

    MetricsClient metrics() {
        return metrics;
    }

    /** The delivered-events counter, or -1 while the agent does not serve it yet. */
    long delivered() throws InterruptedException {
        try {
            return metrics.read(GROUP, COUNTER).value();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Throws with the log's tail when the agent has exited. */
    void checkAlive(String when) {
        if (!jvm.isAlive()) {
            throw new IllegalStateException(jvm.label() + " agent exited " + when + "; log " + jvm.logFile() + ":\n"
                    + jvm.logTail(40));
        }
    }

    /** Fails with the log's tail: {@code what} did not happen. */
    IllegalStateException timedOut(String what) {
        return new IllegalStateException(jvm.label() + " agent: " + what + "; log " + jvm.logFile() + ":\n"
                + jvm.logTail(40));
    }

    @Override
    public void close() {
        jvm.close();
    }
}
