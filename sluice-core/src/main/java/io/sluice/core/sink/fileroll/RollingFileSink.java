package io.sluice.core.sink.fileroll;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.PositionedTransaction;
import io.sluice.api.deadletter.EventRejectedException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.serialization.EventSerializer;
import io.sluice.core.support.AbstractBatchSink;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Writes the events of its channel into files in one directory, rolling to a new file every
 * {@code rollIntervalMillis} (never when 0). Each {@link #process()} takes up to {@code batchSize}
 * events, writes them through the serializer, flushes, forces the file to disk when {@code fsync}
 * is on, and only then commits the take. A write failure rolls the take back, abandons the current
 * file (the next batch starts a new one) and is thrown as an {@link EventDeliveryException}, so
 * the events are retried: delivery is at-least-once.
 *
 * <p>A serializer that throws an unchecked exception for one event (it cannot write that event; an
 * {@link IOException} is a failure of the file) has the event rejected: with
 * {@code deadLetter.channel} it goes there and the batch goes on, without one the batch is rolled
 * back and retried. Such a serializer must throw before writing any byte of the event.
 *
 * <p>In exactly-once mode ({@code sink.exactlyOnce}) the channel must name each taken event's
 * position ({@link PositionedTransaction}, the file channel): after each batch is written and
 * forced to disk, and before its take commits, a {@link CommitLog} record names the file, its
 * length and the batch's positions. On start the file the last record names is cut back to the
 * recorded length (bytes of a batch whose take never committed), and a batch the channel hands out
 * again whose positions the last record names is not written again. A file abandoned after a
 * failed write is cut back the same way. Files are also recorded when opened and closed, so
 * rolling keeps the guarantee.
 *
 * <p>The transaction and counters are {@link AbstractBatchSink}'s; this class opens, writes and
 * rolls the files. Thread-safe: the file is touched only under this object's monitor, which
 * {@code start()} and {@code stop()} hold too, so a stop never closes a file in the middle of a write.
 */
public final class RollingFileSink extends AbstractBatchSink {
    /**
     * The sink counter of events the channel handed out again that were not written again because
     * the last commit record shows them already written (exactly-once mode only).
     */
    public static final String EXACTLY_ONCE_SKIPPED = "ExactlyOnceSkippedCount";

    private static final Logger LOG = LoggerFactory.getLogger(RollingFileSink.class);

    private final Path directory;
    private final long rollIntervalMillis;
    private final boolean fsync;
    private final EventSerializer.Builder serializerBuilder;
    private final PathManager paths;
    private final Clock clock;
    private final SinkCounter counter;
    /** The commit records, null unless exactly once. */
    private final CommitLog commits;
    private CommitLog.Commit lastCommit;
    private long skippedEvents;

    private FileOutputStream file;
    private BufferedOutputStream out;
    private EventSerializer serializer;
    private Path currentPath;
    private long openedAt;

    RollingFileSink(String name, String logName, Path directory, long rollIntervalMillis, int batchSize,
            boolean fsync, EventSerializer.Builder serializerBuilder, PathManager paths, Clock clock,
            SinkCounter counter, boolean exactlyOnce) {
        super(name, logName, batchSize, counter);
        this.commits = exactlyOnce ? new CommitLog(directory, name) : null;
        this.directory = requireNonNull(directory, "directory is null");
        this.rollIntervalMillis = rollIntervalMillis;
        this.fsync = fsync;
        this.serializerBuilder = requireNonNull(serializerBuilder, "serializerBuilder is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.counter = requireNonNull(counter, "counter is null");
        if (exactlyOnce) {
            counter.counter(EXACTLY_ONCE_SKIPPED); // shown at 0 from the start
        }
    }

    @Override
    protected synchronized void doStart() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("[" + label() + "] cannot create sink.directory " + directory + ": " + e, e);
        }
        if (commits != null) {
            try {
                recover();
            } catch (IOException e) {
                throw new IllegalStateException("[" + label() + "] cannot recover from " + commits.path() + ": "
                        + e.getMessage(), e);
            }
        }
        counter.markStarted(clock.millis());
        LOG.info("[{}] writing files into {} (roll every {} ms, batch {}{})", label(), directory,
                rollIntervalMillis, batchSize(), commits != null ? ", exactly once" : "");
    }

    /** Cuts the file the last commit record names back to its recorded length. */
    private void recover() throws IOException {
        lastCommit = commits.last();
        if (lastCommit == null) {
            return;
        }
        Path f = directory.resolve(lastCommit.file());
        if (!Files.exists(f)) {
            LOG.warn("[{}] {} named by the last commit record is gone; nothing to cut back", label(), f);
            return;
        }
        long size = Files.size(f);
        if (size > lastCommit.length()) {
            cutBack(f, lastCommit.length());
            LOG.info("[{}] cut {} back from {} to {} bytes: the bytes after were written by a batch whose take was not"
                    + " committed; it is taken again", label(), f, size, lastCommit.length());
        } else if (size < lastCommit.length()) {
            LOG.warn("[{}] {} is {} bytes, shorter than the {} its last commit record says: it was changed by another"
                    + " program", label(), f, size, lastCommit.length());
        }
    }

    private static void cutBack(Path f, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(length);
            ch.force(true);
        }
    }

    /** Events of taken batches that were already in the files (exactly-once mode), for tests and metrics. */
    public synchronized long skippedEvents() {
        return skippedEvents;
    }

    @Override
    protected synchronized void doStop() {
        closeFile();
        if (commits != null) {
            try {
                commits.close();
            } catch (IOException e) {
                LOG.debug("[{}] closing {} failed", label(), commits.path(), e);
            }
        }
        counter.markStopped(clock.millis());
    }

    /** The file being written, or {@code null} between files. */
    public synchronized Path currentFile() {
        return currentPath;
    }

    /** Rolls the file when its interval has passed, and opens one when none is open. */
    @Override
    protected synchronized void beforeBatch() throws EventDeliveryException {
        long now = clock.millis();
        if (out != null && rollIntervalMillis > 0 && now - openedAt >= rollIntervalMillis) {
            LOG.debug("[{}] rolling {}", label(), currentPath);
            closeFile();
        }
        if (out == null) {
            openFile(now);
        }
    }

    /** Writes the batch through the serializer, flushes, and forces it to disk when fsync is on. */
    @Override
    protected synchronized void deliver(List<Event> events) throws EventDeliveryException {
        if (out == null) {
            throw new EventDeliveryException("[" + label() + "] the sink was stopped while delivering");
        }
        long[] positions = null;
        int from = 0;
        if (commits != null) {
            // positions name every taken event, dead letters included: the record covers the whole take
            List<Event> taken = takenBatch();
            positions = positions(taken.size());
            int skip = alreadyWritten(positions);
            if (skip > 0) {
                skipped(skip, positions);
                from = inHead(events, taken, skip);
            }
            if (skip == taken.size() || from == events.size()) {
                return;
            }
        }
        try {
            for (int i = from; i < events.size(); i++) {
                Event event = events.get(i);
                try {
                    serializer.write(event);
                } catch (RuntimeException e) {
                    reject(new EventRejectedException(event, "the serializer cannot write this event: " + e, e));
                }
            }
            serializer.flush();
            out.flush();
            if (fsync || commits != null) {
                file.getChannel().force(false);
            }
            if (commits != null) {
                // the dead letters are safe before the record says the batch is done: after a crash the
                // batch the record names is skipped whole, its rejected events with it
                putDeadLettersNow();
                long length = file.getChannel().size();
                record(positions == null ? new CommitLog.Commit(fileName(), length, 0, 0, 0)
                        : new CommitLog.Commit(fileName(), length, positions[0], positions[positions.length - 1],
                                positions.length));
            }
        } catch (IOException e) {
            throw new EventDeliveryException(e.toString(), e);
        }
    }

    /**
     * How many of {@code events} (the take, or the take without the events set aside) are among the
     * first {@code head} events of {@code taken}. Both are in take order.
     */
    private static int inHead(List<Event> events, List<Event> taken, int head) {
        int n = 0;
        int t = 0;
        for (Event e : events) {
            while (t < head && taken.get(t) != e) {
                t++;
            }
            if (t == head) {
                break;
            }
            n++;
            t++;
        }
        return n;
    }

    /**
     * Counts and logs a re-delivered batch head that is not written again. Each happens once per
     * restart (or per failed take commit), so each is logged.
     */
    private void skipped(int skip, long[] positions) {
        skippedEvents += skip;
        counter.counter(EXACTLY_ONCE_SKIPPED).add(skip);
        CommitLog.Commit c = lastCommit;
        LOG.warn("[{}] not writing {} of the {} events the channel handed out again: the last commit record of {} says"
                + " the batch at channel positions {}..{} ({} events) is already in {} (its take was not committed"
                + " before a crash or a failed commit); counted in {}", label(), skip, positions.length,
                commits.path().getFileName(), position(c.first()), position(c.last()), c.count(), directory,
                EXACTLY_ONCE_SKIPPED);
    }

    /** A file channel position as segment:offset. */
    private static String position(long p) {
        return (p >>> 32) + ":" + (p & 0xFFFFFFFFL);
    }

    private String fileName() {
        return currentPath.getFileName().toString();
    }

    private void record(CommitLog.Commit c) throws IOException {
        commits.append(c);
        lastCommit = c;
    }

    private long[] positions(int n) throws EventDeliveryException {
        if (!(currentTransaction() instanceof PositionedTransaction p)) {
            throw new EventDeliveryException("[" + label() + "] sink.exactlyOnce needs a file channel; this channel's"
                    + " transactions cannot name positions");
        }
        long[] positions = p.takenPositions();
        if (positions == null || positions.length != n || n == 0) {
            LOG.warn("[{}] the channel skipped damaged events in this batch; it is recorded without positions and a"
                    + " crash before its take commits could write it twice", label());
            return null;
        }
        return positions;
    }

    /** How many events at the head of a batch with these positions the last record says are written. */
    private int alreadyWritten(long[] positions) {
        CommitLog.Commit c = lastCommit;
        if (positions == null || c == null || c.count() == 0 || positions[0] != c.first()) {
            return 0;
        }
        if (positions.length >= c.count()) {
            return positions[c.count() - 1] == c.last() ? c.count() : 0;
        }
        return positions.length;
    }

    /** Abandons the file the batch was written to: the retry starts a new one. */
    @Override
    protected synchronized EventDeliveryException deliveryFailed(int taken, Exception failure) {
        Throwable cause = failure instanceof EventDeliveryException && failure.getCause() != null
                ? failure.getCause() : failure;
        Path failed = currentPath;
        if (out != null) {
            abandonFile();
        }
        return new EventDeliveryException("[" + label() + "] writing " + taken + " events to " + failed
                + " failed; the take was rolled back and will be retried in a new file: " + cause, cause);
    }

    private void openFile(long now) throws EventDeliveryException {
        Path path = paths.next(now);
        try {
            Files.createDirectories(directory);
            FileOutputStream f = new FileOutputStream(path.toFile());
            BufferedOutputStream b = new BufferedOutputStream(f, 64 * 1024);
            EventSerializer s = serializerBuilder.build(b);
            try {
                s.afterCreate();
            } catch (IOException | RuntimeException e) {
                f.close();
                throw e;
            }
            file = f;
            out = b;
            serializer = s;
            currentPath = path;
            openedAt = now;
            if (commits != null) {
                s.flush();
                b.flush();
                f.getChannel().force(true);
                record(lastCommit == null ? new CommitLog.Commit(fileName(), f.getChannel().size(), 0, 0, 0)
                        : lastCommit.at(fileName(), f.getChannel().size()));
            }
            counter.incrementConnectionCreated();
            LOG.debug("[{}] opened {}", label(), path);
        } catch (IOException | RuntimeException e) {
            counter.incrementConnectionFailed();
            if (file != null) {
                abandonFile();
            }
            throw new EventDeliveryException("[" + label() + "] cannot open " + path + ": " + e, e);
        }
    }

    private void closeFile() {
        if (out == null) {
            return;
        }
        try {
            serializer.beforeClose();
            out.flush();
            if (fsync || commits != null) {
                file.getChannel().force(true);
            }
            out.close();
            if (commits != null) {
                record(lastCommit.at(fileName(), Files.size(currentPath)));
            }
            counter.incrementConnectionClosed();
        } catch (IOException | RuntimeException e) {
            counter.incrementConnectionFailed();
            LOG.warn("[{}] closing {} failed (its committed batches were already on disk): {}", label(),
                    currentPath, e.toString());
        } finally {
            clearFile();
        }
    }

    private void abandonFile() {
        try {
            file.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("[{}] closing abandoned file {} failed", label(), currentPath, e);
        }
        if (commits != null && lastCommit != null && lastCommit.file().equals(fileName())) {
            try {
                cutBack(currentPath, lastCommit.length());
            } catch (IOException e) {
                LOG.error("[{}] cannot cut the abandoned {} back to its committed {} bytes; the next start tries again:"
                        + " {}", label(), currentPath, lastCommit.length(), e.toString());
            }
        }
        counter.incrementConnectionFailed();
        clearFile();
    }

    private void clearFile() {
        file = null;
        out = null;
        serializer = null;
        currentPath = null;
    }

    @Override
    public String batchSizeKey() {
        return "sink.batchSize";
    }
}
