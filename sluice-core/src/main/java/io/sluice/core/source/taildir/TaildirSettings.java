package io.sluice.core.source.taildir;

import io.sluice.core.source.support.PollBackoff;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The checked configuration of one {@code TAILDIR} source (see {@link TaildirSourceFactory} for the
 * keys). Immutable; the groups it lists are created per source start.
 *
 * @param groups           the file groups, in {@code filegroups} order
 * @param positionFile     where the positions are kept
 * @param skipToEnd        start files unknown to the position file at their end
 * @param idleTimeoutMillis close a file that did not grow for this long
 * @param writePosIntervalMillis how often the position file is forced to disk
 * @param batchSize        most lines per transaction
 * @param maxBatchCount    most batches read from one file before the next file gets its turn
 * @param backoff          the runner's sleep when nothing was read
 * @param fileHeaderKey    header for the absolute path, null for none
 * @param byteOffsetHeader add the {@code byteoffset} header
 * @param cachePatternMatching list a directory again only when it changed
 * @param maxLineLength    most bytes of one line (see {@link LineLimit})
 * @param readerThreads    most threads reading files at once (1: the runner thread alone)
 */
record TaildirSettings(List<GroupSpec> groups, Path positionFile, boolean skipToEnd, long idleTimeoutMillis,
        long writePosIntervalMillis, int batchSize, long maxBatchCount, PollBackoff backoff, String fileHeaderKey,
        boolean byteOffsetHeader, boolean cachePatternMatching, int maxLineLength, int readerThreads) {

    /** One {@code filegroups.<name>} entry with its {@code headers.<name>.*}. Immutable. */
    record GroupSpec(String name, Path directory, String regex, Map<String, String> headers) {
        GroupSpec {
            requireNonNull(name, "name is null");
            requireNonNull(directory, "directory is null");
            requireNonNull(regex, "regex is null");
            headers = Map.copyOf(headers);
        }
    }

    TaildirSettings {
        groups = List.copyOf(groups);
        requireNonNull(positionFile, "positionFile is null");
        requireNonNull(backoff, "backoff is null");
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: > 0)");
        }
        if (readerThreads < 1) {
            throw new IllegalArgumentException("readerThreads: " + readerThreads + " (expected: > 0)");
        }
        if (batchSize < 1 || maxBatchCount < 1 || idleTimeoutMillis < 1 || writePosIntervalMillis < 1) {
            throw new IllegalArgumentException("batchSize, maxBatchCount, idleTimeout, writePosInterval: " + batchSize
                    + ", " + maxBatchCount + ", " + idleTimeoutMillis + ", " + writePosIntervalMillis + " (expected: > 0)");
        }
    }
}
