package io.sluice.core.source.taildir;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.SourceMarkerChannel;
import io.sluice.api.Status;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.AbstractPollableSource;
import io.sluice.core.source.support.RejectedInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code TAILDIR} source. Each poll looks at the file groups ({@link FileTracker}), then reads
 * every followed file with new complete lines in batches of {@code batchSize} (at most
 * {@code maxBatchCount} batches per file before the next file's turn), puts each batch into the
 * channels and, only after that commit, moves the file's position and replaces the position file
 * atomically. So a {@code kill -9} repeats at most the one batch whose commit the position file had
 * not recorded yet, and loses nothing. The position file is also forced to disk every
 * {@code writePosInterval} ms and at stop, which bounds what a power loss repeats.
 *
 * <p>When every event of the source goes to one channel that keeps source markers (a file channel,
 * alone, required), each batch also carries the positions as they stand after it
 * ({@link PositionMarker}) into the channel's commit, and at start the marker moves the files of
 * the position file further along when a crash came between the commit and the position file's
 * record: then a {@code kill -9} (or a power loss) at any moment repeats nothing. With a memory channel or several channels the position file alone counts, as above.
 *
 * <p>A line longer than {@code maxLineLength} bytes is cut into events of that length, or, with
 * {@code deadLetter.channel}, its first {@code maxLineLength} bytes go there (counted in
 * {@code EventReadFail}) and the rest of the line is skipped, never held in memory; see
 * {@link LineLimit} and {@link TailedFile#read(int, List, String, boolean, ReadBuffer, LineLimit)}.
 *
 * <p>A batch the channels refuse is read again at the next poll (the runner backs off first). An
 * I/O error is logged (at most every 10 s), counted in {@code GenericProcessingFail} and retried
 * at the next poll.
 *
 * <p>Not thread-safe by design: {@code process()} runs on the one runner thread; start and stop are
 * serialised with it by the runner.
 */
public final class TaildirSource extends AbstractPollableSource implements BatchSizeAware, DeadLetterAware {
    private static final Logger LOG = LoggerFactory.getLogger(TaildirSource.class);
    private static final long ERROR_LOG_INTERVAL_MILLIS = 10_000;
    /**
     * The longest a poll keeps reading before it looks at the file groups again. A file the source
     * has not seen yet is only found by such a look: one created and rotated away (renamed, or
     * copy-truncated) between two looks is never read, so a long backlog must not delay the next look.
     */
    static final long REFRESH_INTERVAL_MILLIS = 50;
    /** Counter of lines cut into several events because they were longer than {@code maxLineLength}. */
    public static final String EVENT_SPLIT = "EventSplitCount";

    private final String label;
    private final TaildirSettings settings;
    private final SourceCounter counter;
    private final Clock clock;
    /** Lent to the file being read. */
    private final ReadBuffer buffer = new ReadBuffer();
    private final RejectedInput rejected;
    private final LongAdder splits;
    /** What happens to lines over {@code maxLineLength}; set at start, when the dead-letter channel is known. */
    private LineLimit lineLimit;
    private FileTracker tracker;
    private PositionFile positions;
    /** The channel's marker owner when positions are committed with the batches, else null. */
    private String markerOwner;
    private long lastSyncMillis;
    /** When an error was last logged; the first is logged whatever the clock says. */
    private long lastErrorLogMillis = -ERROR_LOG_INTERVAL_MILLIS;
    /** When the file groups were last looked at. */
    private long refreshedMillis;
    /** The file whose reading the last poll cut short to look at the groups again; it goes last. */
    private Long resumeInode;

    TaildirSource(String name, String label, TaildirSettings settings, SourceCounter counter, Clock clock) {
        super(name, settings.backoff());
        this.label = requireNonNull(label, "label is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.rejected = new RejectedInput(label, counter);
        this.splits = counter.counter(EVENT_SPLIT);
    }

    /** Lines over {@code maxLineLength} go to this channel (their first bytes), instead of being split. */
    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        rejected.setDeadLetters(deadLetters);
    }

    @Override
    public int batchSize() {
        return settings.batchSize();
    }

    /** Where the positions are kept. */
    public Path positionFile() {
        return settings.positionFile();
    }

    @Override
    protected void doStart() {
        getChannelProcessor();
        lineLimit = new LineLimit(settings.maxLineLength(), rejected.keeps(), splits);
        List<FileGroup> groups = new ArrayList<>();
        for (TaildirSettings.GroupSpec g : settings.groups()) {
            groups.add(new FileGroup(g.name(), g.directory(), Pattern.compile(g.regex()), g.headers(),
                    settings.cachePatternMatching()));
        }
        long now = clock.millis();
        try {
            Path parent = settings.positionFile().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            positions = new PositionFile(settings.positionFile());
            List<PositionFile.Entry> recorded = positions.read();
            Optional<SourceMarkerChannel> markers = getChannelProcessor().markerChannel();
            markerOwner = markers.isPresent() ? markerOwner(settings.positionFile()) : null;
            if (markers.isPresent()) {
                Optional<byte[]> committed = markers.get().committedMarker(markerOwner);
                if (committed.isPresent()) {
                    recorded = PositionMarker.newer(recorded, decode(committed.get(), markers.get().name()));
                }
            }
            tracker = new FileTracker(label, groups, settings.idleTimeoutMillis());
            tracker.start(recorded, settings.skipToEnd(), now);
            positions.checkpoint(tracker.entries(), true);
        } catch (IOException e) {
            closeTracker();
            throw new UncheckedIOException("[" + label + "] cannot start: " + e.getMessage(), e);
        }
        lastSyncMillis = now;
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] tailing {} with positions in {}{}", label, groups, settings.positionFile(),
                markerOwner == null ? "" : " and committed with every batch into the channel");
    }

    /** The name this source's marker has in its channel: its position file, which no other source shares. */
    static String markerOwner(Path positionFile) {
        return "taildir:" + positionFile.toAbsolutePath().normalize();
    }

    private List<PositionFile.Entry> decode(byte[] marker, String channel) throws IOException {
        try {
            return PositionMarker.decode(marker);
        } catch (IllegalArgumentException e) {
            throw new IOException("the positions committed in channel " + channel + " are unreadable: "
                    + e.getMessage() + ". This happens when a newer Sluice wrote them; run that version, or remove"
                    + " the channel's data to start from the position file " + settings.positionFile(), e);
        }
    }

    @Override
    protected void doStop() {
        try {
            if (tracker != null && positions != null) {
                positions.checkpoint(tracker.entries(), true);
                positions.close();
            }
        } catch (IOException e) {
            LOG.warn("[{}] could not save the positions at stop: {}; up to the last saved ones are repeated at the"
                    + " next start", label, e.toString());
        }
        closeTracker();
        counter.markStopped(System.currentTimeMillis());
    }

    private void closeTracker() {
        if (tracker != null) {
            try {
                tracker.close();
            } catch (IOException e) {
                LOG.debug("[{}] closing files: {}", label, e.toString());
            }
            tracker = null;
        }
    }

    @Override
    public Status process() {
        long now = clock.millis();
        boolean read = false;
        try {
            tracker.refresh(now);
            refreshedMillis = now;
            // files found, forgotten or truncated are recorded before any batch of theirs commits,
            // so a position marker committed with that batch always finds them in the position file
            savePositions(false);
            List<TailedFile> files = inTurn(tracker.files());
            resumeInode = null;
            for (TailedFile f : files) {
                if (f.copyOf() != null) {
                    continue;
                }
                Status s = drain(f);
                if (s == null) {
                    read = true;
                } else if (s == Status.BACKOFF) {
                    return Status.BACKOFF;
                }
                if (resumeInode != null) {
                    // time to look at the groups again; the next poll goes on with the files after this one
                    break;
                }
            }
            savePositions(false);
            if (now - lastSyncMillis >= settings.writePosIntervalMillis()) {
                savePositions(true);
                lastSyncMillis = now;
            }
        } catch (IOException | RuntimeException e) {
            counter.incrementGenericProcessingFail();
            if (now - lastErrorLogMillis >= ERROR_LOG_INTERVAL_MILLIS) {
                lastErrorLogMillis = now;
                LOG.error("[{}] reading the file groups failed (retrying at the next poll): {}", label,
                        e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
            return Status.BACKOFF;
        }
        return read ? Status.READY : Status.BACKOFF;
    }

    /**
     * Reads one file's new lines in batches. Returns null when it committed something, READY when
     * there was nothing to read, BACKOFF when the channels refused a batch.
     */
    private Status drain(TailedFile f) throws IOException {
        if (!f.isOpen() && !f.matched()) {
            return Status.READY;
        }
        if (!f.hasMore()) {
            return Status.READY;
        }
        boolean committed = false;
        int size = settings.batchSize();
        // only what is there now: a file written as fast as it is read must not keep the groups
        // from being looked at (rotations noticed) for as long as it grows
        long end = f.size();
        for (long batches = 0; batches < settings.maxBatchCount() && f.committed() < end; batches++) {
            if (!tracker.intact(f)) {
                // truncated or rewritten while it was read: the next look at the groups handles it
                break;
            }
            List<Event> batch = new ArrayList<>(Math.min(size, 1024));
            lineLimit.letters().clear();
            int n = f.read(size, batch, settings.fileHeaderKey(), settings.byteOffsetHeader(), buffer, lineLimit);
            if (n == 0) {
                break;
            }
            counter.incrementAppendBatchReceived();
            counter.addReceived(batch.size());
            if (!keepLetters(f)) {
                if (committed) {
                    savePositions(false);
                }
                return Status.BACKOFF;
            }
            try {
                if (batch.isEmpty()) {
                    // only a long line's letter: nothing for the channels, its position is recorded below
                } else if (markerOwner != null) {
                    getChannelProcessor().processEventBatch(batch, markerOwner, PositionMarker.encode(entriesAfter(f)));
                } else {
                    getChannelProcessor().processEventBatch(batch);
                }
            } catch (ChannelException e) {
                f.rollback();
                counter.incrementChannelWriteFail();
                LOG.debug("[{}] the channels refused a batch of {} from {}: {}", label, n, f.path(), e.getMessage());
                if (committed) {
                    savePositions(false);
                }
                return Status.BACKOFF;
            }
            f.commit();
            committed = true;
            counter.incrementAppendBatchAccepted();
            counter.addAccepted(batch.size());
            // only f moved since the positions were last recorded (at the start of the poll or after f's last batch)
            if (!positions.record(FileTracker.entry(f))) {
                savePositions(false);
            }
            if (n < size) {
                break;
            }
            if (clock.millis() - refreshedMillis >= REFRESH_INTERVAL_MILLIS) {
                resumeInode = f.inode();
                break;
            }
        }
        return committed ? null : Status.READY;
    }

    /**
     * Commits the letters of the batch just read (the starts of lines over {@code maxLineLength})
     * to the dead-letter channel, before the batch itself: a crash after this and before the
     * batch's position is recorded reads those lines again (a letter may then be kept twice),
     * never loses one. When the dead-letter channel refuses them, the batch is read again later.
     *
     * @return false when it refused (the batch is rolled back)
     */
    private boolean keepLetters(TailedFile f) {
        List<RejectedInput.Input> letters = lineLimit.letters();
        if (letters.isEmpty()) {
            return true;
        }
        if (!rejected.keepAll(letters)) {
            f.rollback();
            LOG.debug("[{}] the dead-letter channel refused {} long line(s) of {}; reading them again later", label,
                    letters.size(), f.path());
            return false;
        }
        for (int i = 0; i < letters.size(); i++) {
            counter.incrementEventReadFail();
        }
        return true;
    }

    /**
     * The files in reading order: after a poll was cut short, from the file after the one being
     * read then, which comes last, so that a file growing as fast as it is read cannot keep the
     * others from their turn.
     */
    private List<TailedFile> inTurn(List<TailedFile> files) {
        if (resumeInode == null) {
            return files;
        }
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).inode() == resumeInode) {
                List<TailedFile> out = new ArrayList<>(files.subList(i + 1, files.size()));
                out.addAll(files.subList(0, i + 1));
                return out;
            }
        }
        return files;
    }

    /** The positions once the lines of {@code f} read so far are committed. */
    private List<PositionFile.Entry> entriesAfter(TailedFile f) {
        List<PositionFile.Entry> entries = tracker.entries();
        List<PositionFile.Entry> out = new ArrayList<>(entries.size());
        for (PositionFile.Entry e : entries) {
            out.add(e.inode() == f.inode() ? new PositionFile.Entry(e.inode(), f.readPosition(), e.file(), e.fingerprint())
                    : e);
        }
        return out;
    }

    private void savePositions(boolean sync) throws IOException {
        if (sync) {
            positions.checkpoint(tracker.entries(), true);
        } else {
            positions.record(tracker.entries());
        }
    }
}
