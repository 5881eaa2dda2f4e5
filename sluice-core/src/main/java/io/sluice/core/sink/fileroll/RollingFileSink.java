package io.sluice.core.sink.fileroll;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.deadletter.EventRejectedException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.serialization.EventSerializer;
import io.sluice.core.support.AbstractBatchSink;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>The transaction and counters are {@link AbstractBatchSink}'s; this class opens, writes and
 * rolls the files. Thread-safe: the file is touched only under this object's monitor, which
 * {@code start()} and {@code stop()} hold too, so a stop never closes a file in the middle of a write.
 */
public final class RollingFileSink extends AbstractBatchSink {
    private static final Logger LOG = LoggerFactory.getLogger(RollingFileSink.class);

    private final Path directory;
    private final long rollIntervalMillis;
    private final boolean fsync;
    private final EventSerializer.Builder serializerBuilder;
    private final PathManager paths;
    private final Clock clock;
    private final SinkCounter counter;

    private FileOutputStream file;
    private BufferedOutputStream out;
    private EventSerializer serializer;
    private Path currentPath;
    private long openedAt;

    RollingFileSink(String name, String logName, Path directory, long rollIntervalMillis, int batchSize,
            boolean fsync, EventSerializer.Builder serializerBuilder, PathManager paths, Clock clock,
            SinkCounter counter) {
        super(name, logName, batchSize, counter);
        this.directory = requireNonNull(directory, "directory is null");
        this.rollIntervalMillis = rollIntervalMillis;
        this.fsync = fsync;
        this.serializerBuilder = requireNonNull(serializerBuilder, "serializerBuilder is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.counter = requireNonNull(counter, "counter is null");
    }

    @Override
    protected synchronized void doStart() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("[" + label() + "] cannot create sink.directory " + directory + ": " + e, e);
        }
        counter.markStarted(clock.millis());
        LOG.info("[{}] writing files into {} (roll every {} ms, batch {})", label(), directory,
                rollIntervalMillis, batchSize());
    }

    @Override
    protected synchronized void doStop() {
        closeFile();
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
        try {
            for (int i = 0; i < events.size(); i++) {
                Event event = events.get(i);
                try {
                    serializer.write(event);
                } catch (RuntimeException e) {
                    reject(new EventRejectedException(event, "the serializer cannot write this event: " + e, e));
                }
            }
            serializer.flush();
            out.flush();
            if (fsync) {
                file.getChannel().force(false);
            }
        } catch (IOException e) {
            throw new EventDeliveryException(e.toString(), e);
        }
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
            counter.incrementConnectionCreated();
            LOG.debug("[{}] opened {}", label(), path);
        } catch (IOException | RuntimeException e) {
            counter.incrementConnectionFailed();
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
            if (fsync) {
                file.getChannel().force(true);
            }
            out.close();
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
