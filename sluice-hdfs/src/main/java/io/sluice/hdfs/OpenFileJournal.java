package io.sluice.hdfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The sink's local record of the files it has open on HDFS, so that after a crash it recovers
 * exactly its own in-use files and never touches another agent's (a scan of the directories could
 * break a live writer's lease). One line per event, forced to disk before the file receives data:
 * {@code + <in-use path> TAB <final path>} when a file is created, {@code - <in-use path>} once it
 * is closed and renamed. A torn last line (a crash mid-append) is ignored: its file was never
 * written to. Format version 1, file {@code open-files.v1} in the sink's data directory.
 *
 * <p>Thread-safe: every method is synchronized.
 */
final class OpenFileJournal implements AutoCloseable {
    private final Path file;
    private FileChannel channel;

    OpenFileJournal(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        Files.createDirectories(directory);
        this.file = directory.resolve("open-files.v1");
    }

    /** The files left open by an earlier run: in-use path to final path, in the order they were opened. */
    synchronized Map<String, String> leftovers() throws IOException {
        Map<String, String> open = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return open;
        }
        byte[] all = Files.readAllBytes(file);
        String text = new String(all, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return open;
        }
        for (String line : text.substring(0, end).split("\n")) {
            if (line.startsWith("+ ")) {
                int tab = line.indexOf('\t');
                if (tab > 2) {
                    open.put(line.substring(2, tab), line.substring(tab + 1));
                }
            } else if (line.startsWith("- ")) {
                open.remove(line.substring(2));
            }
        }
        return open;
    }

    /** Rewrites the journal to hold only {@code stillOpen} (after recovery), then appends from there. */
    synchronized void reset(Map<String, String> stillOpen) throws IOException {
        close();
        StringBuilder sb = new StringBuilder();
        stillOpen.forEach((inUse, fin) -> sb.append("+ ").append(inUse).append('\t').append(fin).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(StandardCharsets.UTF_8.encode(sb.toString()));
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename itself is atomic
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    synchronized void opened(String inUsePath, String finalPath) throws IOException {
        append(List.of("+ " + inUsePath + "\t" + finalPath));
    }

    synchronized void closed(String inUsePath) throws IOException {
        append(List.of("- " + inUsePath));
    }

    private void append(List<String> lines) throws IOException {
        if (channel == null) {
            throw new IOException("the open-file journal " + file + " is closed");
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        channel.write(StandardCharsets.UTF_8.encode(sb.toString()));
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
