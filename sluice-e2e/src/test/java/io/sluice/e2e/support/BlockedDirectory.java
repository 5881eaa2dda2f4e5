package io.sluice.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a {@code file_roll} sink's directory unusable and usable again, for a sink that cannot
 * drain (tests run as any user, root included, so permissions cannot be relied on): the directory
 * is moved aside (its files keep what was delivered) and a regular file takes its name, so the
 * sink's next file cannot be created. Not thread-safe.
 */
public final class BlockedDirectory {
    private final Path directory;
    private int blocks;

    public BlockedDirectory(Path directory) {
        this.directory = directory;
    }

    /** Moves the directory to {@code <name>-before-block-N} and puts a file in its place. */
    public void block() throws IOException {
        blocks++;
        if (Files.isDirectory(directory)) {
            Files.move(directory, directory.resolveSibling(directory.getFileName() + "-before-block-" + blocks));
        }
        Files.writeString(directory, "a file where the sink expects its directory\n");
    }

    /** Removes the file; the sink creates the directory again on its next attempt. */
    public void unblock() throws IOException {
        Files.deleteIfExists(directory);
        Files.createDirectories(directory);
    }

    /** The directory and every moved-aside copy, for reading what was delivered. */
    public Path[] allDirectories() {
        Path[] all = new Path[blocks + 1];
        all[0] = directory;
        for (int i = 1; i <= blocks; i++) {
            all[i] = directory.resolveSibling(directory.getFileName() + "-before-block-" + i);
        }
        return all;
    }
}
