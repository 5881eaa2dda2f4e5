package io.sluice.channel.file;

import io.sluice.api.ChannelException;
import io.sluice.api.PutCommitListeners;
import io.sluice.api.SourceMarkerChannel;
import io.sluice.api.Transaction;
import io.sluice.api.TransactionCapacityAware;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.log.LogStore;
import io.sluice.channel.file.log.ReplayResult;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The durable file channel ({@code type = file}): a write-ahead log of numbered, CRC32C-checked
 * segment files with group commit, a checkpoint of the queue, and recovery that replays only the
 * log after the checkpoint. See {@link io.sluice.channel.file.log.LogFormat} for the on-disk format.
 *
 * <p>Thread-safe: any number of threads may each run their own transaction. Lifecycle methods are
 * synchronized. A background thread checks free space every second and writes checkpoints.
 */
public final class FileChannel implements SourceMarkerChannel, TransactionCapacityAware {
    private static final Logger LOG = LoggerFactory.getLogger(FileChannel.class);
    /** Counter of events whose record failed its checksum when read back; they are skipped and logged. */
    public static final String CORRUPT_EVENTS = "EventTakeCorruptCount";

    private final String name;
    private final String label;
    private final FileChannelConfig config;
    private final ChannelCounter counter;
    private final Clock clock;
    private final List<DirectoryLock> locks = new ArrayList<>();
    private volatile State state = State.IDLE;
    private volatile LogStore store;
    private volatile Semaphore room;
    private volatile String spaceProblem;
    private volatile String writeProblem;
    private volatile long writeProblemAt;
    private ScheduledExecutorService housekeeper;
    private long lastCheckpoint;
    private volatile long lastSpaceCheckNanos;
    private final AtomicLong bytesSinceSpaceCheck = new AtomicLong();
    private final Object spaceLock = new Object();
    private final Map<Path, FileStore> fileStores = new ConcurrentHashMap<>();
    private final PutCommitListeners putListeners = new PutCommitListeners();

    /**
     * @param name the channel's name ({@code c1})
     * @param label how logs and errors name it ({@code [a1.channels.c1]})
     */
    public FileChannel(String name, String label, FileChannelConfig config, ChannelCounter counter, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.label = requireNonNull(label, "label is null");
        this.config = requireNonNull(config, "config is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int transactionCapacity() {
        return config.transactionCapacity();
    }

    public FileChannelConfig config() {
        return config;
    }

    public ChannelCounter counter() {
        return counter;
    }

    @Override
    public State lifecycleState() {
        return state;
    }

    /** Locks the directories, recovers the queue from disk and starts the writer. */
    @Override
    public synchronized void start() {
        if (state == State.STARTED) {
            return;
        }
        state = State.STARTING;
        try {
            locks.add(DirectoryLock.acquire(config.checkpointDir(), label, "checkpointDir"));
            if (config.backupCheckpointDir() != null) {
                locks.add(DirectoryLock.acquire(config.backupCheckpointDir(), label, "backupCheckpointDir"));
            }
            for (Path d : config.dataDirs()) {
                locks.add(DirectoryLock.acquire(d, label, "dataDirs"));
            }
            LogStore s = new LogStore(label, config.checkpointDir(), config.backupCheckpointDir(), config.dataDirs(),
                    config.maxFileSize(), config.eventCacheBytes(), clock, counter.counter(CORRUPT_EVENTS));
            store = s;
            room = new Semaphore(config.capacity() - s.size());
            if (s.size() > config.capacity()) {
                LOG.warn("{} holds {} events, more than its capacity {}; puts wait until takes make room", label,
                        s.size(), config.capacity());
            }
            s.checkpoint();
            lastCheckpoint = clock.millis();
            checkSpace();
        } catch (IOException | RuntimeException e) {
            if (store != null) {
                store.close(false);
                store = null;
            }
            releaseLocks();
            state = State.ERROR;
            if (e instanceof ChannelException) {
                throw (ChannelException) e;
            }
            throw new ChannelException(label + " could not start: " + e, e);
        }
        counter.setCapacity(config.capacity());
        counter.setSize(store.size());
        counter.markStarted(clock.millis());
        housekeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-file-channel-housekeeper-" + name);
            t.setDaemon(true);
            return t;
        });
        housekeeper.scheduleWithFixedDelay(this::housekeep, 1000, Math.min(1000, config.checkpointIntervalMillis()),
                TimeUnit.MILLISECONDS);
        state = State.STARTED;
        LOG.info("{} started: {} events queued, capacity {}, checkpointDir {}, dataDirs {}", label, store.size(),
                config.capacity(), config.checkpointDir(), config.dataDirs());
    }

    /** Stops after pending commits are written; writes a checkpoint when checkpointOnClose is set. */
    @Override
    public synchronized void stop() {
        if (state != State.STARTED && state != State.ERROR) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPING;
        if (housekeeper != null) {
            housekeeper.shutdownNow();
            try {
                housekeeper.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (store != null) {
            store.close(config.checkpointOnClose());
        }
        releaseLocks();
        counter.markStopped(clock.millis());
        state = State.STOPPED;
        LOG.info("{} stopped", label);
    }

    private void releaseLocks() {
        for (DirectoryLock l : locks) {
            l.close();
        }
        locks.clear();
    }

    @Override
    public Transaction getTransaction() {
        return new FileTransaction(this);
    }

    /**
     * The marker {@code owner} committed last: replayed from the log at start, kept in every
     * checkpoint, so deleting old segments never loses it.
     */
    @Override
    public Optional<byte[]> committedMarker(String owner) {
        requireNonNull(owner, "owner is null");
        byte[] m = store().marker(owner);
        return m == null ? Optional.empty() : Optional.of(m.clone());
    }

    @Override
    public boolean addPutCommitListener(Runnable listener) {
        putListeners.add(listener);
        return true;
    }

    @Override
    public void removePutCommitListener(Runnable listener) {
        putListeners.remove(listener);
    }

    /** Tells the listeners that events can be taken (after a put commit or a rolled-back take). */
    void firePutCommitted() {
        putListeners.fire();
    }

    /** Writes a checkpoint now (normally every checkpointInterval); returns when it is durable. */
    public void checkpoint() throws IOException {
        LogStore s = store;
        if (s == null) {
            throw new IllegalStateException(label + " checkpoint() called when channel is " + state);
        }
        s.checkpoint();
    }

    /** What the last start recovered from disk (problems, bytes dropped, ...); null before start. */
    public ReplayResult recovery() {
        LogStore s = store;
        return s == null ? null : s.recovered();
    }

    public int size() {
        LogStore s = store;
        return s == null ? 0 : s.size();
    }

    private void housekeep() {
        try {
            checkSpace();
            long now = clock.millis();
            if (now - lastCheckpoint >= config.checkpointIntervalMillis()) {
                lastCheckpoint = now;
                store.checkpoint();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} background checkpoint failed; retrying at the next interval: {}", label, e.toString());
        }
    }

    /** Refuses puts while any directory is below minimumRequiredSpace; lifts a write failure once space is back. */
    void checkSpace() {
        synchronized (spaceLock) {
            checkSpaceLocked();
        }
    }

    private void checkSpaceLocked() {
        String problem = null;
        List<Path> dirs = new ArrayList<>(config.dataDirs());
        dirs.add(config.checkpointDir());
        if (config.backupCheckpointDir() != null) {
            dirs.add(config.backupCheckpointDir());
        }
        for (Path d : dirs) {
            long free = usableSpace(d);
            if (free >= 0 && free < config.minimumRequiredSpace()) {
                problem = label + " refuses puts: " + d + " has " + bytes(free) + " free, below minimumRequiredSpace "
                        + bytes(config.minimumRequiredSpace()) + "; free some space on that disk or lower"
                        + " minimumRequiredSpace. Committed events are safe and can still be taken.";
                break;
            }
        }
        if (problem != null && spaceProblem == null) {
            LOG.error(problem);
        } else if (problem == null && spaceProblem != null) {
            LOG.info("{} free space is above minimumRequiredSpace again; accepting puts", label);
        }
        spaceProblem = problem;
        if (problem == null && writeProblem != null && clock.millis() - writeProblemAt >= 1000) {
            LOG.info("{} accepting puts again after the failed write", label);
            writeProblem = null;
        }
    }

    /**
     * Throws when puts are refused because of disk space or a failed write. Re-checks free space
     * when the last check is older than 50 ms or an eighth of minimumRequiredSpace has been
     * written since, so a fast writer cannot run far past the limit.
     *
     * @param bytes what the caller is about to write (0 for a put that is only staged)
     */
    void checkPutsAllowed(long bytes) {
        long now = System.nanoTime();
        long written = bytesSinceSpaceCheck.addAndGet(bytes);
        if (now - lastSpaceCheckNanos > 50_000_000L
                || written > Math.max(64 * 1024, config.minimumRequiredSpace() / 8)) {
            bytesSinceSpaceCheck.set(0);
            lastSpaceCheckNanos = now;
            checkSpace();
        }
        String p = spaceProblem;
        if (p != null) {
            throw new ChannelException(p);
        }
        p = writeProblem;
        if (p != null) {
            throw new ChannelException(p);
        }
        if (state != State.STARTED) {
            throw new ChannelException(label + " is " + state + ", not STARTED");
        }
    }

    ChannelException writeFailed(IOException e) {
        StringBuilder free = new StringBuilder();
        for (Path d : config.dataDirs()) {
            free.append(free.length() == 0 ? "" : ", ").append(d).append(" has ").append(bytes(usableSpace(d)))
                    .append(" free");
        }
        String msg = label + " could not write to its log (" + e.getMessage() + "); " + free + ", minimumRequiredSpace "
                + bytes(config.minimumRequiredSpace()) + ". The commit failed and nothing of it is kept; committed"
                + " events are safe. Puts are refused until the write succeeds again.";
        writeProblemAt = clock.millis();
        if (writeProblem == null) {
            LOG.error(msg);
        }
        writeProblem = msg;
        return new ChannelException(msg, e);
    }

    LogStore store() {
        LogStore s = store;
        if (s == null || state != State.STARTED) {
            throw new ChannelException(label + " is " + state + ", not STARTED; start it before using transactions");
        }
        return s;
    }

    Semaphore room() {
        return room;
    }

    String label() {
        return label;
    }

    /**
     * Free bytes for an unprivileged writer in {@code dir}, or -1 when unknown. The file store of each
     * directory is looked up once (that reads the mount table); later calls cost one statvfs.
     */
    private long usableSpace(Path dir) {
        try {
            FileStore store = fileStores.get(dir);
            if (store == null) {
                store = Files.getFileStore(dir);
                fileStores.put(dir, store);
            }
            return store.getUsableSpace();
        } catch (IOException e) {
            fileStores.remove(dir);
            return -1;
        }
    }

    static String bytes(long n) {
        if (n < 0) {
            return "unknown";
        }
        if (n < 1024 * 1024) {
            return n + " bytes";
        }
        return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024.0));
    }

    @Override
    public String toString() {
        return "FileChannel" + label;
    }
}
