package io.sluice.sql.agent.tee;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the calling thread's scheduling priority to the lowest the platform gives without
 * privileges, so that a tee runs on CPU the agent's own threads do not want. On Linux a thread may
 * raise its own nice value: the thread's id is read from {@code /proc/thread-self} and
 * {@code renice -n 19 -p <tid>} (util-linux, present on every common distribution) applies to that
 * thread alone. Java offers no call for it: HotSpot on Linux ignores {@code Thread.setPriority} by
 * default; with {@code -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19} it gives
 * {@code MIN_PRIORITY} threads nice 19 (also without root, checked on JDK 17), but it then warns at
 * every start and applies every priority any library sets, so the tee sets its own nice value instead
 * and the agent needs no JVM option. Elsewhere, or without
 * {@code renice}, the thread keeps its priority and {@link #lowerCurrentThread()} says so; the tee's
 * CPU budget still bounds it. Thread-safe (stateless).
 */
final class LowPriority {
    /** The nice value asked for: the lowest priority. */
    static final int NICE = 19;
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private LowPriority() {
    }

    /** The calling thread's id in the kernel, or -1 where {@code /proc/thread-self} does not exist. */
    static long currentThreadId() {
        try {
            // "<pid>/task/<tid>"
            Path link = Files.readSymbolicLink(THREAD_SELF);
            return Long.parseLong(link.getFileName().toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return -1;
        }
    }

    /** The nice value of kernel thread {@code tid} of this process, or {@code Integer.MIN_VALUE} when unknown. */
    static int niceOf(long tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            // the name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(f[16]); // field 19 of the file: nice
        } catch (IOException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    /**
     * Gives the calling thread the nice value {@value #NICE}; returns null when done, otherwise why
     * not (to be logged: the thread keeps running at its priority).
     */
    static String lowerCurrentThread() {
        long tid = currentThreadId();
        if (tid < 0) {
            return "the platform has no /proc/thread-self (not Linux)";
        }
        Process p;
        try {
            p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", Long.toString(tid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return "renice could not be run (" + e.getMessage() + ")";
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "renice did not finish within 10 s";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted while renice ran";
        }
        if (p.exitValue() != 0) {
            return "renice -n " + NICE + " -p " + tid + " exited with status " + p.exitValue();
        }
        return null;
    }
}
