package io.sluice.core.sink.fileroll;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import static java.util.Objects.requireNonNull;

/**
 * Names the files of one sink run, as Apache Flume does: {@code DEFAULT} gives
 * {@code <prefix><series start millis>-<n>[.<extension>]} (n counts from 1 for the life of the
 * sink), {@code ROLLTIME} gives {@code <prefix><yyyyMMddHHmmss at roll>-<n>[.<extension>]}.
 * Not thread-safe: used under the sink's monitor.
 */
final class PathManager {
    private static final DateTimeFormatter ROLL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneId.systemDefault());

    private final Path directory;
    private final String kind;
    private final String prefix;
    private final String extension;
    private final long seriesTimestamp;
    private int index;

    PathManager(Path directory, String kind, String prefix, String extension, long seriesTimestamp) {
        this.directory = requireNonNull(directory, "directory is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.extension = requireNonNull(extension, "extension is null");
        this.seriesTimestamp = seriesTimestamp;
    }

    Path next(long nowMillis) {
        index++;
        String stamp = kind.equals("rolltime") ? ROLL_TIME.format(Instant.ofEpochMilli(nowMillis))
                : Long.toString(seriesTimestamp);
        String name = prefix + stamp + "-" + index + (extension.isEmpty() ? "" : "." + extension);
        return directory.resolve(name);
    }
}
