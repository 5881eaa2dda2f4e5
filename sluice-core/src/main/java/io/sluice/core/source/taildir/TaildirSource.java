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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>With {@code readerThreads} above 1, a poll reads up to that many files at once: the runner
 * thread looks at the file groups first (every decision about rotation, truncation and copies is
 * the {@link FileTracker}'s, on that thread, while no file is read), then it and
 * {@code readerThreads - 1} pool threads take whole files from the poll's list (files renamed away
 * or copied aside by a rotation first, on the runner thread, so that an older generation's lines
 * still come before the newer's), each file on one
 * thread only, so its lines stay in order; each reader puts its own batches in its own channel
 * transactions and, after each commit, records that one file's position (the position file's
 * records are serialised). The poll ends when every reader is done, so the next look at the groups
 * and the position file's checkpoints see a consistent state. When the source commits its
 * positions with each batch into a file channel (above), one marker holds every file's position and
 * the commits must follow each other: the files are then read on the runner thread alone.
 *
 * <p>{@code process()} runs on the one runner thread; start and stop are serialised with it by
 * the runner, and the reader threads only run inside {@code process()}.
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
    private final RejectedInput rejected;
    private final LongAdder splits;
    /** One per thread that may read at once, the runner's first; set at start, when the dead-letter channel is known. */
    private Reader[] readers;
    /** The threads reading next to the runner's, null when the files are read on the runner thread alone. */
    private ExecutorService pool;
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

    /** What one reader thread holds: its buffer, lent to the file it reads, and its long lines' letters. */
    private static final class Reader {
        final ReadBuffer buffer = new ReadBuffer();
        final LineLimit lineLimit;

        Reader(LineLimit lineLimit) {
            this.lineLimit = lineLimit;
        }
    }

    /** How reading one file ended. */
    private enum Drained {
        /** Nothing new, or nothing that could be read now. */
        NOTHING,
        /** Batches committed. */
        READ,
        /** Batches committed, and it is time to look at the file groups again. */
        CUT,
        /** The channels (or the dead-letter channel) refused a batch. */
        REFUSED
    }

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
        int threads = markerOwner == null ? settings.readerThreads() : 1;
        readers = new Reader[threads];
        for (int i = 0; i < threads; i++) {
            readers[i] = new Reader(new LineLimit(settings.maxLineLength(), rejected.keeps(), splits));
        }
        if (threads > 1) {
            pool = Executors.newFixedThreadPool(threads - 1, readerThreadFactory(label));
        } else if (settings.readerThreads() > 1) {
            LOG.info("[{}] reading the files on one thread (readerThreads = {} not used): the positions are committed"
                    + " with every batch into the channel, one batch after another", label, settings.readerThreads());
        }
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] tailing {} with positions in {}{}", label, groups, settings.positionFile(),
                markerOwner == null ? "" : " and committed with every batch into the channel");
    }

    private static ThreadFactory readerThreadFactory(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
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
            List<TailedFile> files = new ArrayList<>();
            for (TailedFile f : inTurn(tracker.files())) {
                if (f.copyOf() == null) {
                    files.add(f);
                }
            }
            resumeInode = null;
            Drained outcome = pool == null ? readAll(files, readers[0]) : readOlderFirst(files);
            if (outcome == Drained.REFUSED) {
                savePositions(false);
                return Status.BACKOFF;
            }
            read = outcome != Drained.NOTHING;
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

    /** Reads the files one after another on this thread, until one is refused or it is time to look at the groups. */
    private Drained readAll(List<TailedFile> files, Reader reader) throws IOException {
        Drained all = Drained.NOTHING;
        for (TailedFile f : files) {
            Drained d = drain(f, reader);
            if (d == Drained.REFUSED) {
                return d;
            }
            if (d != Drained.NOTHING) {
                all = Drained.READ;
            }
            if (d == Drained.CUT) {
                // the next poll goes on with the files after this one
                resumeInode = f.inode();
                break;
            }
        }
        return all;
    }

    /**
     * Reads the files renamed away or copied aside (older generations, {@link TailedFile#matched()}
     * false) first, one after another on this thread, so that their lines come before those of the
     * files now under their names, as with one thread; then the files the groups match at once.
     */
    private Drained readOlderFirst(List<TailedFile> files) throws IOException {
        List<TailedFile> older = new ArrayList<>();
        List<TailedFile> current = new ArrayList<>(files.size());
        for (TailedFile f : files) {
            (f.matched() ? current : older).add(f);
        }
        Drained first = readAll(older, readers[0]);
        if (first == Drained.REFUSED || resumeInode != null) {
            return first;
        }
        Drained then = current.size() < 2 ? readAll(current, readers[0]) : readAtOnce(current);
        return worse(first, then);
    }

    /**
     * Reads the files on the runner thread and the pool's threads at once: each takes the next file
     * of the list not taken yet and reads it as {@link #readAll} does, until the list is done, a
     * batch is refused (the others stop after their batch) or it is time to look at the groups (the
     * next poll starts after the last file taken). Returns when every reader is done.
     */
    private Drained readAtOnce(List<TailedFile> files) throws IOException {
        AtomicInteger next = new AtomicInteger();
        Shared shared = new Shared();
        int threads = Math.min(readers.length, files.size());
        List<Future<Drained>> others = new ArrayList<>(threads - 1);
        for (int i = 1; i < threads; i++) {
            Reader reader = readers[i];
            others.add(pool.submit(() -> readTaken(files, next, shared, reader)));
        }
        Drained all;
        Throwable failure = null;
        try {
            all = readTaken(files, next, shared, readers[0]);
        } catch (IOException | RuntimeException e) {
            shared.stop = true;
            all = Drained.NOTHING;
            failure = e;
        }
        for (Future<Drained> f : others) {
            try {
                all = worse(all, waitFor(f));
            } catch (ExecutionException e) {
                shared.stop = true;
                if (failure == null) {
                    failure = e.getCause();
                } else {
                    failure.addSuppressed(e.getCause());
                }
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        } else if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (shared.cut) {
            resumeInode = files.get(Math.min(next.get(), files.size()) - 1).inode();
        }
        return all;
    }

    /** The readers' common state in one poll. */
    private static final class Shared {
        /** A batch was refused or a reader failed: take no more batches. */
        volatile boolean stop;
        /** A reader found it time to look at the groups: take no more files. */
        volatile boolean cut;
    }

    private Drained readTaken(List<TailedFile> files, AtomicInteger next, Shared shared, Reader reader)
            throws IOException {
        try {
            return takeAndRead(files, next, shared, reader);
        } catch (IOException | RuntimeException e) {
            // the poll fails: the other readers stop after their batch
            shared.stop = true;
            throw e;
        }
    }

    private Drained takeAndRead(List<TailedFile> files, AtomicInteger next, Shared shared, Reader reader)
            throws IOException {
        Drained all = Drained.NOTHING;
        while (!shared.stop && !shared.cut) {
            int i = next.getAndIncrement();
            if (i >= files.size()) {
                break;
            }
            Drained d = drain(files.get(i), reader, shared);
            if (d == Drained.REFUSED) {
                shared.stop = true;
                return d;
            }
            if (d != Drained.NOTHING) {
                all = Drained.READ;
            }
            if (d == Drained.CUT) {
                shared.cut = true;
            }
        }
        return all;
    }

    private static Drained worse(Drained a, Drained b) {
        if (a == Drained.REFUSED || b == Drained.REFUSED) {
            return Drained.REFUSED;
        }
        return a == Drained.NOTHING ? b : a;
    }

    /** The reader's outcome, waiting through interrupts (the reader itself stops at its next batch). */
    private static Drained waitFor(Future<Drained> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Drained drain(TailedFile f, Reader reader) throws IOException {
        return drain(f, reader, null);
    }

    /**
     * Reads one file's new lines in batches, on the calling thread, through {@code reader}'s buffer;
     * with {@code shared}, stops after a batch when another reader asks so.
     */
    private Drained drain(TailedFile f, Reader reader, Shared shared) throws IOException {
        if (!f.isOpen() && !f.matched()) {
            return Drained.NOTHING;
        }
        if (!f.hasMore()) {
            return Drained.NOTHING;
        }
        LineLimit lineLimit = reader.lineLimit;
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
            int n = f.read(size, batch, settings.fileHeaderKey(), settings.byteOffsetHeader(), reader.buffer,
                    lineLimit);
            if (n == 0) {
                break;
            }
            counter.incrementAppendBatchReceived();
            counter.addReceived(batch.size());
            if (!keepLetters(f, lineLimit)) {
                return Drained.REFUSED;
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
                return Drained.REFUSED;
            } catch (RuntimeException e) {
                // an interceptor failed before any put: the batch is read again at the next poll, not skipped
                f.rollback();
                throw e;
            }
            f.commit();
            committed = true;
            counter.incrementAppendBatchAccepted();
            counter.addAccepted(batch.size());
            recordPosition(f);
            if (n < size) {
                break;
            }
            if (clock.millis() - refreshedMillis >= REFRESH_INTERVAL_MILLIS) {
                return Drained.CUT;
            }
            if (shared != null && (shared.stop || shared.cut)) {
                break;
            }
        }
        return committed ? Drained.READ : Drained.NOTHING;
    }

    /**
     * Records {@code f}'s position once its batch committed. Readers of other files record theirs
     * at the same time: one at a time, each only its own file's entry, which no one else moves.
     */
    private void recordPosition(TailedFile f) throws IOException {
        synchronized (positions) {
            // only f moved since the positions were last recorded (at the start of the poll or after f's last batch)
            if (!positions.record(FileTracker.entry(f))) {
                positions.record(tracker.entries());
            }
        }
    }

    /**
     * Commits the letters of the batch just read (the starts of lines over {@code maxLineLength})
     * to the dead-letter channel, before the batch itself: a crash after this and before the
     * batch's position is recorded reads those lines again (a letter may then be kept twice),
     * never loses one. When the dead-letter channel refuses them, the batch is read again later.
     *
     * @return false when it refused (the batch is rolled back)
     */
    private boolean keepLetters(TailedFile f, LineLimit lineLimit) {
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
