package io.sluice.core.sink.fileroll;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.serialization.EventSerializer;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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
 * <p>Thread-safe: {@code process()}, {@code start()} and {@code stop()} are serialised by this
 * object's monitor.
 */
public final class RollingFileSink implements Sink, BatchSizeAware {
    private static final Logger LOG = LoggerFactory.getLogger(RollingFileSink.class);

    private final String name;
    private final String logName;
    private final Path directory;
    private final long rollIntervalMillis;
    private final int batchSize;
    private final boolean fsync;
    private final EventSerializer.Builder serializerBuilder;
    private final PathManager paths;
    private final Clock clock;
    private final SinkCounter counter;

    private volatile Channel channel;
    private volatile State state = State.IDLE;
    private FileOutputStream file;
    private BufferedOutputStream out;
    private EventSerializer serializer;
    private Path currentPath;
    private long openedAt;

    RollingFileSink(String name, String logName, Path directory, long rollIntervalMillis, int batchSize,
            boolean fsync, EventSerializer.Builder serializerBuilder, PathManager paths, Clock clock,
            SinkCounter counter) {
        this.name = requireNonNull(name, "name is null");
        this.logName = requireNonNull(logName, "logName is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.rollIntervalMillis = rollIntervalMillis;
        this.batchSize = batchSize;
        this.fsync = fsync;
        this.serializerBuilder = requireNonNull(serializerBuilder, "serializerBuilder is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.counter = requireNonNull(counter, "counter is null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setChannel(Channel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    @Override
    public Channel getChannel() {
        return channel;
    }

    @Override
    public synchronized void start() {
        state = State.STARTING;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            state = State.ERROR;
            throw new IllegalStateException("[" + logName + "] cannot create sink.directory " + directory + ": " + e, e);
        }
        counter.markStarted(clock.millis());
        state = State.STARTED;
        LOG.info("[{}] writing files into {} (roll every {} ms, batch {})", logName, directory,
                rollIntervalMillis, batchSize);
    }

    @Override
    public synchronized void stop() {
        state = State.STOPPING;
        closeFile();
        counter.markStopped(clock.millis());
        state = State.STOPPED;
    }

    @Override
    public State lifecycleState() {
        return state;
    }

    /** The file being written, or {@code null} between files. */
    public synchronized Path currentFile() {
        return currentPath;
    }

    @Override
    public synchronized Status process() throws EventDeliveryException {
        Channel ch = channel;
        if (ch == null) {
            throw new IllegalStateException("[" + logName + "] process() called before setChannel()");
        }
        long now = clock.millis();
        if (out != null && rollIntervalMillis > 0 && now - openedAt >= rollIntervalMillis) {
            LOG.debug("[{}] rolling {}", logName, currentPath);
            closeFile();
        }
        if (out == null) {
            openFile(now);
        }
        List<Event> batch = new ArrayList<>(Math.min(batchSize, 1024));
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            int taken;
            try {
                taken = tx.takeBatch(batchSize, batch);
            } catch (ChannelException e) {
                counter.incrementChannelReadFail();
                throw new EventDeliveryException("[" + logName + "] taking from the channel failed: "
                        + e.getMessage(), e);
            }
            counter.batch(taken, batchSize);
            if (taken > 0) {
                counter.addDrainAttempts(taken);
                try {
                    for (Event e : batch) {
                        serializer.write(e);
                    }
                    serializer.flush();
                    out.flush();
                    if (fsync) {
                        file.getChannel().force(false);
                    }
                } catch (IOException | RuntimeException e) {
                    counter.incrementEventWriteFail();
                    tx.rollback();
                    Path failed = currentPath;
                    abandonFile();
                    throw new EventDeliveryException("[" + logName + "] writing " + taken + " events to " + failed
                            + " failed; the take was rolled back and will be retried in a new file: " + e, e);
                }
            }
            tx.commit();
            counter.addDrainSuccesses(taken);
            return taken == 0 ? Status.BACKOFF : Status.READY;
        }
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
            LOG.debug("[{}] opened {}", logName, path);
        } catch (IOException | RuntimeException e) {
            counter.incrementConnectionFailed();
            throw new EventDeliveryException("[" + logName + "] cannot open " + path + ": " + e, e);
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
            LOG.warn("[{}] closing {} failed (its committed batches were already on disk): {}", logName,
                    currentPath, e.toString());
        } finally {
            clearFile();
        }
    }

    private void abandonFile() {
        try {
            file.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("[{}] closing abandoned file {} failed", logName, currentPath, e);
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
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String batchSizeKey() {
        return "sink.batchSize";
    }
}
