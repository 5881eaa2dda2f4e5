package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

import static java.util.Objects.requireNonNull;

/**
 * A real, tiny file system for durability tests: a tmpfs of a given size mounted on a directory
 * (mounting needs root), unmounted on {@link #close()}. Where it cannot be mounted the test is
 * skipped, except on CI: with the environment variable {@code CI=true} a durability test that
 * cannot run fails the build instead of passing as skipped. Not thread-safe.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path path;

    private SmallDisk(Path path) {
        this.path = path;
    }

    /**
     * Mounts a tmpfs of {@code size} (as {@code mount -o size=}, e.g. {@code 4m}) on {@code dir},
     * creating the directory; skips the calling test, or fails it when {@code CI=true}, if it cannot.
     */
    public static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
        requireNonNull(dir, "dir is null");
        requireNonNull(size, "size is null");
        Files.createDirectories(dir);
        String why = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        if (why != null) {
            cannotRun("cannot mount a " + size + " tmpfs on " + dir + " (needs root): " + why,
                    "true".equalsIgnoreCase(System.getenv("CI")));
        }
        return new SmallDisk(dir);
    }

    /**
     * Aborts the calling test as skipped with {@code reason}, or, on CI, fails it: a skipped
     * durability test must not pass a CI build.
     */
    static void cannotRun(String reason, boolean ci) {
        if (ci) {
            throw new AssertionError(reason + ". With CI=true a durability test that cannot run fails the build:"
                    + " run CI as root (or in a container allowed to mount tmpfs)");
        }
        Assumptions.abort("skipped: " + reason);
    }

    /** The mounted directory. */
    public Path path() {
        return path;
    }

    /** Unmounts, lazily if the file system is still busy. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (run("umount", path.toString()) != null) {
            run("umount", "-l", path.toString());
        }
    }

    /** Runs a command; null when it succeeded, otherwise why not. */
    private static String run(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + text;
        } catch (IOException e) {
            return e.toString();
        }
    }
}
