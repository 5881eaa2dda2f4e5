package io.sluice.e2e.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the built Sluice distribution the way a user does, as
 * {@code java -cp sluice-cli/target/sluice/lib/* io.sluice.cli.Main <args>} with the distribution's
 * {@code conf/logback.xml} as its default logging configuration. Stateless.
 */
public final class SluiceCli {
    public static final String MAIN = "io.sluice.cli.Main";
    /**
     * The exit status of an agent that stopped gracefully on SIGTERM or Ctrl-C: 0, so that a
     * supervisor sees a clean stop (docs/cli.md). Every test of a graceful stop asserts this one value.
     */
    public static final int GRACEFUL_STOP_EXIT = 0;

    private SluiceCli() {
    }

    /** The output and exit code of a command that ran to its end. */
    public record Result(int exitCode, List<String> stdout, List<String> stderr) {
        public String out() {
            return String.join("\n", stdout);
        }

        public String err() {
            return String.join("\n", stderr);
        }
    }

    /** Starts {@code sluice <args>} in {@code workDir}. */
    public static ChildProcess start(String name, Path workDir, String... args) throws IOException {
        return start(name, workDir, Distribution.TEST_JVM_OPTIONS, Arrays.asList(args));
    }

    /** Starts {@code sluice <args>} in {@code workDir} with the given JVM options. */
    public static ChildProcess start(String name, Path workDir, List<String> jvmOptions, List<String> args)
            throws IOException {
        Path dist = Distribution.sluice();
        List<String> jvm = new ArrayList<>(jvmOptions);
        jvm.add("-Dsluice.default.logback=" + dist.resolve("conf/logback.xml"));
        return ChildProcess.start(name, Distribution.javaCommand(jvm, Distribution.wildcard(dist.resolve("lib")), MAIN,
                args), workDir, Map.of());
    }

    /**
     * Starts {@code sluice agent -n <agent> -f <config> --no-reload-conf --data-dir <workDir>/data
     * <extraArgs>} and returns at once; wait for a port or a line before using it.
     */
    public static ChildProcess startAgent(String name, Path workDir, Path config, String agent, String... extraArgs)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("agent", "-n", agent, "-f", config.toString(), "--no-reload-conf",
                "--data-dir", workDir.resolve("data").toString()));
        args.addAll(Arrays.asList(extraArgs));
        return start(name, workDir, Distribution.TEST_JVM_OPTIONS, args);
    }

    /** Runs {@code sluice <args>} to its end (at most {@code timeout}). */
    public static Result run(Path workDir, Duration timeout, String... args) throws IOException {
        try (ChildProcess p = start("sluice-" + (args.length > 0 ? args[0] : "noargs"), workDir, args)) {
            int code = p.awaitExit(timeout);
            return new Result(code, p.stdout(), p.stderr());
        }
    }
}
