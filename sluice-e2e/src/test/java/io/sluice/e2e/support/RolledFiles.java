package io.sluice.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what a {@code file_roll} sink (text serializer) wrote: the complete lines of every
 * regular file in a directory, in file-name order; a last line without its newline (still being
 * written) is left out, and so are hidden files (the sink's own records, such as
 * {@code sink.exactlyOnce}'s {@code .<sink>.file_roll-commits}). Stateless.
 */
public final class RolledFiles {
    private RolledFiles() {
    }

    /** Complete lines of all regular files in each of {@code dirs} (missing directories are empty). */
    public static List<String> lines(Path... dirs) {
        List<String> out = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                    int end = text.lastIndexOf('\n');
                    if (end >= 0) {
                        out.addAll(text.substring(0, end).lines().toList());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir, e);
            }
        }
        return out;
    }
}
