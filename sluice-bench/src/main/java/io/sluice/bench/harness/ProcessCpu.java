package io.sluice.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time a process has used (user plus system, all its threads), read from Linux's
 * {@code /proc/<pid>/stat}: for figures such as CPU per event, taken from outside the process so
 * that measuring costs it nothing.
 */
public final class ProcessCpu {
    private static final long NANOS_PER_TICK = 1_000_000_000L / clockTicks();

    private ProcessCpu() {
    }

    /** User plus system CPU time of process {@code pid} so far, in nanoseconds (tick resolution). */
    public static long nanos(long pid) throws IOException {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) * NANOS_PER_TICK;
    }

    /**
     * User plus system CPU time, in nanoseconds, of the threads of process {@code pid} whose name
     * (as Linux keeps it: its first 15 characters) starts with {@code prefix}; threads that ended
     * are not counted.
     */
    public static long threadNanos(long pid, String prefix) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).startsWith(prefix)) {
                        sum += ticks(task.resolve("stat"));
                    }
                } catch (NoSuchFileException ended) {
                    // the thread ended while we looked
                }
            }
        }
        return sum * NANOS_PER_TICK;
    }

    /**
     * User plus system CPU time, in nanoseconds, of each live thread of process {@code pid}, summed
     * by thread name (Linux's first 15 characters; threads of one pool that share a name are summed).
     */
    public static Map<String, Long> threadNanosByName(long pid) throws IOException {
        Map<String, Long> byName = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    byName.merge(name, ticks(task.resolve("stat")) * NANOS_PER_TICK, Long::sum);
                } catch (NoSuchFileException ended) {
                    // the thread ended while we looked
                }
            }
        }
        return byName;
    }

    private static long ticks(Path stat) throws IOException {
        String s = Files.readString(stat, StandardCharsets.US_ASCII);
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        // after the name: state is field 3, so utime (14) and stime (15) are at indexes 11 and 12
        if (f.length < 13) {
            throw new IOException(stat + " has " + f.length + " fields after the command name; expected at least 13");
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100; // Linux's USER_HZ everywhere it runs today
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
