package io.sluice.hdfs;

import io.sluice.api.Event;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * One bucket of the sink: a directory and file prefix (as expanded from {@code hdfs.path} and
 * {@code hdfs.filePrefix}) and the file currently open for it. File names follow Apache Flume:
 * {@code <prefix>.<counter><suffix>}, where the counter starts at the bucket's creation time in
 * milliseconds and grows by one per file, the suffix is {@code hdfs.fileSuffix} or else the
 * codec's extension; while it is written the file is called
 * {@code <inUsePrefix><name><inUseSuffix>}.
 *
 * <p>Not thread-safe: every method is called under the sink's lock.
 */
final class BucketFile {
    private final String directory;
    private final String prefix;
    private final String extension;
    private final String inUsePrefix;
    private final String inUseSuffix;
    private final Supplier<HdfsWriter> writers;
    private long counter;

    private HdfsWriter writer;
    private String inUsePath;
    private String finalPath;
    private long events;
    private long bodyBytes;
    private long openedAt;
    private long committedLength;
    private boolean createdInBatch;
    int generation;
    ScheduledFuture<?> rollTimer;
    ScheduledFuture<?> idleTimer;
    int underReplicatedRolls;

    BucketFile(String directory, String prefix, String extension, String inUsePrefix, String inUseSuffix,
            Supplier<HdfsWriter> writers, long createdAtMillis) {
        this.directory = requireNonNull(directory, "directory is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.extension = requireNonNull(extension, "extension is null");
        this.inUsePrefix = requireNonNull(inUsePrefix, "inUsePrefix is null");
        this.inUseSuffix = requireNonNull(inUseSuffix, "inUseSuffix is null");
        this.writers = requireNonNull(writers, "writers is null");
        this.counter = createdAtMillis;
    }

    boolean isOpen() {
        return writer != null;
    }

    /** Names the next file and makes its writer; the caller creates it on HDFS. */
    HdfsWriter next(long now) {
        counter++;
        String name = prefix + "." + counter + extension;
        finalPath = directory + "/" + name;
        inUsePath = directory + "/" + inUsePrefix + name + inUseSuffix;
        writer = writers.get();
        events = 0;
        bodyBytes = 0;
        committedLength = 0;
        openedAt = now;
        createdInBatch = true;
        generation++;
        return writer;
    }

    void append(Event e) throws IOException {
        writer.append(e);
        events++;
        bodyBytes += e.bodyLength();
    }

    /** Whether the next event must go to a new file (Apache Flume checks before each write). */
    boolean shouldRoll(long rollCount, long rollSize) {
        return (rollCount > 0 && events >= rollCount) || (rollSize > 0 && bodyBytes >= rollSize);
    }

    /** After a batch committed: what the file holds now counts as committed. */
    void committed(long length) {
        committedLength = length;
        createdInBatch = false;
    }

    /** Forgets the file (after it was closed or abandoned). */
    void clear() {
        writer = null;
        inUsePath = null;
        finalPath = null;
        if (rollTimer != null) {
            rollTimer.cancel(false);
            rollTimer = null;
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    HdfsWriter writer() {
        return writer;
    }

    String inUsePath() {
        return inUsePath;
    }

    String finalPath() {
        return finalPath;
    }

    long events() {
        return events;
    }

    long openedAt() {
        return openedAt;
    }

    long committedLength() {
        return committedLength;
    }

    boolean createdInBatch() {
        return createdInBatch;
    }
}
