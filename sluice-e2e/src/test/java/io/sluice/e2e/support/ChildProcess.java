package io.sluice.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * A real child process whose stdout and stderr are collected line by line (and copied to a log
 * file under {@code target/e2e-logs}). Tests wait for lines or for exit with a deadline; failures
 * carry the tail of the output. {@link #close()} kills the process if it is still running, so use
 * it with try-with-resources. Thread-safe: reader threads append under {@code this}'s monitor.
 */
public final class ChildProcess implements AutoCloseable {
    private static final int TAIL_LINES = 60;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Writer log;
    private final List<String> lines = new ArrayList<>();
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private ChildProcess(String name, Process process, Path logFile, Writer log) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.log = log;
        this.outReader = reader(process.getInputStream(), stdout, "out");
        this.errReader = reader(process.getErrorStream(), stderr, "err");
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code extraEnv} added to this JVM's
     * environment. {@code name} labels the log file and failure messages.
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> extraEnv)
            throws IOException {
        requireNonNull(name, "name is null");
        Files.createDirectories(workDir);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(extraEnv);
        Path logDir = Path.of("target", "e2e-logs").toAbsolutePath();
        Files.createDirectories(logDir);
        Process p = pb.start();
        Path logFile = logDir.resolve(name + "-" + p.pid() + ".log");
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        log.write("$ " + String.join(" ", command) + System.lineSeparator());
        log.flush();
        ChildProcess child = new ChildProcess(name, p, logFile, log);
        child.outReader.start();
        child.errReader.start();
        return child;
    }

    private Thread reader(InputStream in, List<String> stream, String tag) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    append(stream, tag, line);
                }
            } catch (IOException e) {
                append(stream, tag, "[e2e: output reader failed: " + e + "]");
            }
        }, "e2e-" + name + "-" + tag);
        t.setDaemon(true);
        return t;
    }

    private synchronized void append(List<String> stream, String tag, String line) {
        lines.add(line);
        stream.add(line);
        try {
            log.write(tag + " | " + line + System.lineSeparator());
            log.flush();
        } catch (IOException ignored) {
            // the log file is a debugging aid; the lines are kept in memory regardless
        }
        notifyAll();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where this process's output is copied. */
    public Path logFile() {
        return logFile;
    }

    /** Every line of stdout and stderr so far, in arrival order. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized List<String> stdout() {
        return List.copyOf(stdout);
    }

    public synchronized List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** All output so far, one line per line. */
    public synchronized String output() {
        return String.join("\n", lines);
    }

    /** The first line containing {@code text}, waiting for it up to {@code timeout}. */
    public String awaitLine(String text, Duration timeout) {
        return awaitLine(l -> l.contains(text), "a line containing '" + text + "'", timeout);
    }

    /**
     * The first line matching {@code matcher}, waiting up to {@code timeout}; fails (with the
     * output's tail) on timeout or when the process exits without printing one.
     */
    public synchronized String awaitLine(Predicate<String> matcher, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (matcher.test(lines.get(checked))) {
                    return lines.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": no " + description + " within " + timeout + "\n" + tail());
            }
            if (!process.isAlive() && !outReader.isAlive() && !errReader.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") without " + description
                        + "\n" + tail());
            }
            try {
                wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + description, e);
            }
        }
    }

    /** Waits for the process to exit and its output to be read; returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout + "\n" + tail());
            }
            outReader.join(10_000);
            errReader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name + " to exit", e);
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM (a graceful stop request). Goes through the {@link ProcessHandle}, because
     * {@link Process#destroy()} also closes the pipes, and the output of the stop would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Writes {@code text} (UTF-8) to the process's standard input, as if typed. */
    public void type(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Sends SIGKILL ({@code kill -9}) and waits for the process to be gone. */
    public void kill() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of output, for failure messages. */
    public synchronized String tail() {
        List<String> t = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return "---- last " + t.size() + " lines of " + name + " (full log: " + logFile + ") ----\n"
                + String.join("\n", t);
    }

    /** Kills the process if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                log.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
