package io.sluice.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A child JVM started by the harness, its output going to a log file. {@link #close()} stops it
 * with SIGTERM and, if it has not exited after a grace period, kills it. Not thread-safe.
 */
public final class ChildJvm implements AutoCloseable {
    private static final long GRACE_SECONDS = 20;

    private final String label;
    private final Process process;
    private final Path logFile;

    private final Thread killOnExit;

    private ChildJvm(String label, Process process, Path logFile) {
        this.label = label;
        this.process = process;
        this.logFile = logFile;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-" + label);
    }

    /**
     * Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <args>} in {@code workDir}, with
     * stdout and stderr appended to {@code logFile}.
     */
    public static ChildJvm start(String label, List<String> jvmOptions, String classpath, String mainClass,
            List<String> args, Path workDir, Path logFile) throws IOException {
        requireNonNull(label, "label is null");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(workDir);
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, String.join(" ", command) + System.lineSeparator());
        Process p = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        ChildJvm child = new ChildJvm(label, p, logFile);
        Runtime.getRuntime().addShutdownHook(child.killOnExit);
        return child;
    }

    public String label() {
        return label;
    }

    /** The operating system's id of the child process. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** SIGTERM, wait up to 20 s, then SIGKILL; returns the exit code. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
