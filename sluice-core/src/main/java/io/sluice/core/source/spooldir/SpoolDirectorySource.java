package io.sluice.core.source.spooldir;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.SourceMarkerChannel;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.support.AbstractSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code spooldir} source. Every {@code pollDelay} ms its worker thread reads the spool
 * directory until no file has anything left: a batch of up to {@code batchSize} events is put
 * into the channels, and only after that commit does the position move (and get persisted). When
 * the channels refuse a batch, the worker waits (250 ms, doubling up to {@code maxBackoff}) and
 * reads the same events again, so nothing is lost or skipped.
 *
 * <p>A file that changed after pickup, a name used again after completion, undecodable input
 * under {@code decodeErrorPolicy = FAIL} or an I/O error stop the source, as in Apache Flume: the
 * error names the file and the fix, is counted in {@code GenericProcessingFail}, and the agent
 * must be restarted to go on. Lines split at {@code deserializer.maxLineLength} (and blobs split
 * at {@code maxBlobLength}) are counted in {@code EventSplitCount}.
 *
 * <p>With {@code deadLetter.channel}, the starts of lines over {@code deserializer.maxLineLength}
 * of a batch are committed there after the batch is read and before it is committed to the
 * channels, with the batch's end as this source's marker when the dead-letter channel is a file
 * channel: a batch read again after a crash or a refusal does not put them again, so each is kept
 * exactly once. When the dead-letter channel refuses them, the batch waits and is retried as for a
 * full channel.
 *
 * <p>Thread-safe: start and stop are synchronised by the base class; the reading runs on one
 * worker thread, which alone touches the reader.
 *
 * <p>When every event of the source goes to one channel that keeps source markers (a file channel,
 * alone, required), each batch also carries the position after it ({@link SpoolMarker}) into the
 * channel's commit, and at start a marker further along than the position file moves the start
 * there: then a {@code kill -9} between the commit and the position file's record repeats nothing.
 * With a memory channel or several channels the position file alone counts, and such a kill repeats
 * that one batch.
 */
public final class SpoolDirectorySource extends AbstractSource
        implements EventDrivenSource, BatchSizeAware, DeadLetterAware {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolDirectorySource.class);
    /** Counter of lines or blobs split because they were too long. */
    public static final String EVENT_SPLIT = "EventSplitCount";
    private static final long FIRST_BACKOFF_MILLIS = 250;

    private final SpoolSettings settings;
    private final SourceCounter counter;
    private final String label;
    private final LongAdder splits;
    private final RejectedInput rejected;
    private ScheduledExecutorService worker;
    private SpoolReader reader;
    /** The channel's marker owner when the position is committed with the batches, else null. */
    private String markerOwner;
    private volatile boolean failed;
    private volatile boolean stopping;

    SpoolDirectorySource(String name, String label, SpoolSettings settings, SourceCounter counter) {
        super(name);
        this.label = requireNonNull(label, "label is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.rejected = new RejectedInput(label, counter);
        this.splits = counter.counter(EVENT_SPLIT);
    }

    @Override
    public int batchSize() {
        return settings.batchSize();
    }

    /** Whether the source stopped reading because of an error it logged (see the class comment). */
    public boolean hasFailed() {
        return failed;
    }

    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        rejected.setDeadLetters(deadLetters);
    }

    @Override
    protected void doStart() {
        getChannelProcessor();
        try {
            reader = new SpoolReader(settings, splits, label, rejected);
            Optional<SourceMarkerChannel> markers = getChannelProcessor().markerChannel();
            markerOwner = markers.isPresent() ? markerOwner(settings.trackerDir()) : null;
            if (markers.isPresent()) {
                Optional<byte[]> committed = markers.get().committedMarker(markerOwner);
                if (committed.isPresent()) {
                    reader.resumeFromMarker(decode(committed.get(), markers.get().name()));
                }
            }
        } catch (IOException e) {
            closeReader();
            throw new UncheckedIOException("[" + label + "] cannot start: " + e.getMessage(), e);
        }
        stopping = false;
        failed = false;
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spooldir-source-" + name());
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::drain, 0, settings.pollDelayMillis(), TimeUnit.MILLISECONDS);
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] spooling {}{}", label, settings.spoolDir(),
                markerOwner == null ? "" : "; the position is committed with every batch into the channel");
    }

    /**
     * The name this source's marker has in its channel: its position file in the tracker
     * directory, which no other source of the agent can share.
     */
    static String markerOwner(Path trackerDir) {
        return "spooldir:" + trackerDir.toAbsolutePath().normalize().resolve(PositionFile.FILE_NAME);
    }

    private PositionFile.Position decode(byte[] marker, String channel) throws IOException {
        try {
            return SpoolMarker.decode(marker);
        } catch (IllegalArgumentException e) {
            throw new IOException("the spool position committed in channel " + channel + " is unreadable: "
                    + e.getMessage() + ". This happens when a newer Sluice wrote it; run that version, or remove the"
                    + " channel's data to resume from the position file in " + settings.trackerDir(), e);
        }
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                LOG.warn("[{}] closing {}: {}", label, reader.currentFile(), e.toString());
            }
            reader = null;
        }
    }

    @Override
    protected void doStop() {
        stopping = true;
        if (worker != null) {
            worker.shutdownNow();
            try {
                if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("[{}] the worker did not stop within 30 s", label);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeReader();
        counter.markStopped(System.currentTimeMillis());
    }

    /** One poll: read and commit until nothing is left, the source stops, or it fails. */
    private void drain() {
        if (failed) {
            return;
        }
        long backoff = FIRST_BACKOFF_MILLIS;
        try {
            while (!stopping && !Thread.currentThread().isInterrupted()) {
                List<Event> batch = reader.read();
                if (batch.isEmpty() && reader.letters().isEmpty()) {
                    return;
                }
                counter.incrementAppendBatchReceived();
                counter.addReceived(batch.size());
                if (!reader.keepLetters()) {
                    reader.rollback();
                    LOG.warn("[{}] the dead-letter channel refused the long lines of a batch from {}; retrying the"
                            + " batch in {} ms", label, reader.currentFile(), backoff);
                    TimeUnit.MILLISECONDS.sleep(backoff);
                    backoff = Math.min(backoff * 2, settings.maxBackoffMillis());
                    continue;
                }
                try {
                    if (batch.isEmpty() && markerOwner == null) {
                        // only long lines, kept in the dead-letter channel: the position record follows
                    } else if (markerOwner != null) {
                        getChannelProcessor().processEventBatch(batch, markerOwner,
                                SpoolMarker.encode(reader.pendingPosition()));
                    } else {
                        getChannelProcessor().processEventBatch(batch);
                    }
                } catch (ChannelException e) {
                    counter.incrementChannelWriteFail();
                    reader.rollback();
                    LOG.warn("[{}] the channel refused a batch of {} from {} ({}); retrying in {} ms", label,
                            batch.size(), reader.currentFile(), e.getMessage(), backoff);
                    TimeUnit.MILLISECONDS.sleep(backoff);
                    backoff = Math.min(backoff * 2, settings.maxBackoffMillis());
                    continue;
                }
                reader.commit();
                backoff = FIRST_BACKOFF_MILLIS;
                counter.incrementAppendBatchAccepted();
                counter.addAccepted(batch.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (stopping) {
                // stop() interrupted a read or a write of the position record: nothing was lost,
                // the next start resumes after the last committed batch
                LOG.debug("[{}] interrupted by stop: {}", label, e.toString());
                return;
            }
            failed = true;
            counter.incrementGenericProcessingFail();
            LOG.error("[{}] the spooldir source stopped reading {}: {}", label, settings.spoolDir(),
                    e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }
}
