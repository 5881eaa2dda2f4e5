package io.sluice.core.source.taildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A file group ({@code filegroups.<name> = /dir/regex}): the regular files of one directory whose
 * names match a regular expression, with the headers {@code headers.<name>.<key>} adds to their
 * events. With {@code cachePatternMatching} the directory is listed again only when its
 * modification time changed (or is under two seconds old, for file systems with coarse times).
 * The listing is ordered by modification time, oldest first, as Apache Flume orders it.
 *
 * <p>Not thread-safe: used by the source's runner thread only.
 */
final class FileGroup {
    private static final long COARSE_MTIME_MILLIS = 2000;

    private final String name;
    private final Path directory;
    private final Pattern pattern;
    private final Map<String, String> headers;
    private final boolean cache;
    private long listedMtime = Long.MIN_VALUE;
    private List<Path> listed = List.of();

    FileGroup(String name, Path directory, Pattern pattern, Map<String, String> headers, boolean cache) {
        this.name = requireNonNull(name, "name is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.pattern = requireNonNull(pattern, "pattern is null");
        this.headers = Map.copyOf(headers);
        this.cache = cache;
    }

    String name() {
        return name;
    }

    Path directory() {
        return directory;
    }

    Pattern pattern() {
        return pattern;
    }

    Map<String, String> headers() {
        return headers;
    }

    boolean matches(Path file) {
        return directory.equals(file.getParent()) && pattern.matcher(file.getFileName().toString()).matches();
    }

    /** The matching regular files, oldest first; a missing directory has none. */
    List<Path> matchingFiles(long nowMillis) throws IOException {
        long mtime;
        try {
            mtime = Files.getLastModifiedTime(directory).toMillis();
        } catch (NoSuchFileException e) {
            listed = List.of();
            listedMtime = Long.MIN_VALUE;
            return listed;
        }
        if (cache && mtime == listedMtime && nowMillis - mtime >= COARSE_MTIME_MILLIS) {
            return listed;
        }
        List<Path> files = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory,
                p -> pattern.matcher(p.getFileName().toString()).matches())) {
            for (Path p : s) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        files.add(p);
                        times.add(a.lastModifiedTime().toMillis());
                    }
                } catch (NoSuchFileException e) {
                    // deleted while listing
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingLong(times::get).thenComparing(files::get));
        List<Path> sorted = new ArrayList<>(files.size());
        for (int i : order) {
            sorted.add(files.get(i));
        }
        listed = List.copyOf(sorted);
        listedMtime = mtime;
        return listed;
    }

    @Override
    public String toString() {
        return name + " (" + directory.resolve(pattern.pattern()) + ")";
    }
}
