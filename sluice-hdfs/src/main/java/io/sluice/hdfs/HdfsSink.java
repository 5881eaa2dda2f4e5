package io.sluice.hdfs;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.PositionedTransaction;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.sink.fileroll.RollingFileSink;
import io.sluice.core.support.AbstractBatchSink;
import java.io.File;
import java.io.IOException;
import java.security.PrivilegedExceptionAction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code hdfs} sink. Each batch is taken from the channel, written into the files of its
 * buckets (one per expanded {@code hdfs.path} and {@code hdfs.filePrefix}), flushed to the
 * datanodes ({@code hflush}, or {@code hsync} with {@code hdfs.hsync}) and only then committed;
 * any failure rolls the take back, so the events stay in the channel and are retried.
 *
 * <p>Files are rolled on {@code rollCount}, {@code rollSize} and block under-replication before the
 * event that would pass them, on {@code rollInterval} and {@code idleTimeout} by timer; a rolled
 * file is closed and renamed from its in-use name to its final name. Every file the sink creates
 * is first recorded in a local {@link OpenFileJournal}; on start, and after a failure, the sink
 * recovers its own leftover in-use files (lease recovery, close, rename).
 *
 * <p>In exactly-once mode ({@code hdfs.exactlyOnce}) each batch's position in the file channel and
 * the committed length of every in-use file go into a {@link CommitLog} record before the take
 * commits; recovery truncates in-use files to their committed length (deleting those created
 * after the last record) and the sink skips a batch whose positions the last record names: it is
 * in HDFS already. Files rolled during a batch are renamed only after its record is written.
 *
 * <p>Thread-safety: all bucket state is guarded by this object's monitor, held by the runner
 * thread for a whole batch and by the timer threads when they close a file. HDFS calls of a batch
 * run on one writer thread so that {@code hdfs.callTimeout} can bound them; the runner waits for
 * them while holding the monitor (so a timer never closes a file mid-batch).
 */
public final class HdfsSink extends AbstractBatchSink {
    /**
     * The sink counter of events the channel handed out again that were not written again because
     * the last commit record shows them already in HDFS (exactly-once mode only); the same name as
     * {@code file_roll}'s.
     */
    public static final String EXACTLY_ONCE_SKIPPED = RollingFileSink.EXACTLY_ONCE_SKIPPED;

    private static final Logger LOG = LoggerFactory.getLogger(HdfsSink.class);
    private static final int MAX_UNDER_REPLICATED_ROLLS = 30;

    private final HdfsSinkConfig config;
    private final HadoopSetup hadoop;
    private final Supplier<HdfsWriter> writers;
    private final String extension;
    private final File dataDirectory;
    private final String commitName;
    private final Clock clock;
    private final SinkCounter counter;
    private final Map<String, BucketFile> buckets;
    private final List<CommitLog.CommittedFile> rolledThisBatch = new ArrayList<>();
    /** Files given up after a failure whose close and rename are still pending: in-use path to final path. */
    private final Map<String, String> abandoned = new ConcurrentHashMap<>();

    private volatile FileSystem fs;
    /** A second client for lease recovery, so that a file abandoned by {@link #fs} can be taken from it. */
    private volatile FileSystem recoveryFs;
    private UserGroupInformation ugi;
    private ExecutorService writer;
    private ExecutorService calls;
    private ScheduledExecutorService timers;
    private OpenFileJournal journal;
    private CommitLog commits;
    private CommitLog.Record lastCommit;
    private boolean needsRecovery;
    private long skippedEvents;

    HdfsSink(String name, String label, HdfsSinkConfig config, HadoopSetup hadoop, File dataDirectory,
            String commitName, Clock clock, SinkCounter counter) {
        super(name, label, config.batchSize(), counter);
        this.config = requireNonNull(config, "config is null");
        this.hadoop = requireNonNull(hadoop, "hadoop is null");
        this.writers = hadoop.writers(config, clock);
        this.extension = !config.fileSuffix().isEmpty() ? config.fileSuffix()
                : hadoop.codec() == null ? "" : hadoop.codec().getDefaultExtension();
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.commitName = requireNonNull(commitName, "commitName is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.counter = requireNonNull(counter, "counter is null");
        if (config.exactlyOnce()) {
            counter.counter(EXACTLY_ONCE_SKIPPED); // shown at 0 from the start
        }
        int max = config.maxOpenFiles();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, BucketFile> eldest) {
                if (size() > max) {
                    evict(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    @Override
    protected synchronized void doStart() {
        writer = Executors.newSingleThreadExecutor(threads("hdfs-" + name() + "-writer"));
        calls = Executors.newFixedThreadPool(config.threadsPoolSize(), threads("hdfs-" + name() + "-call"));
        timers = Executors.newScheduledThreadPool(config.rollTimerPoolSize(),
                threads("hdfs-" + name() + "-roll-timer"));
        try {
            journal = new OpenFileJournal(dataDirectory.toPath());
        } catch (IOException e) {
            throw new IllegalStateException("[" + label() + "] cannot open its journal of open files in "
                    + dataDirectory + ": " + e, e);
        }
        needsRecovery = true;
        try {
            recover();
        } catch (EventDeliveryException e) {
            LOG.warn("[{}] HDFS is not reachable at start; will retry before the first batch: {}", label(),
                    e.getMessage());
        }
        super.doStart();
        LOG.info("[{}] writing {} files under {} (batch {}, roll every {} s / {} bytes / {} events{}{})", label(),
                config.fileType().flumeName, config.path().template(), batchSize(), config.rollIntervalSeconds(),
                config.rollSize(), config.rollCount(), config.hsync() ? ", hsync" : "",
                config.exactlyOnce() ? ", exactly once" : "");
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    protected synchronized void doStop() {
        // a clean stop: every file is complete up to its last committed batch, so it is closed and renamed
        // in both modes (exactly once: the last commit record's lengths still hold for the final files)
        for (BucketFile b : new ArrayList<>(buckets.values())) {
            closeQuietly(b);
        }
        // files given up after a failure: one last try, else the journal has them for the next start
        if (!config.exactlyOnce() && fs != null) {
            for (Map.Entry<String, String> f : new ArrayList<>(abandoned.entrySet())) {
                try {
                    call(calls, () -> {
                        finishLeftover(f.getKey(), f.getValue(), -1);
                        journal.closed(f.getKey());
                        return null;
                    }, "recovering " + f.getKey());
                    abandoned.remove(f.getKey());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("[{}] {} stays in use; the next start recovers it: {}", label(), f.getKey(), e.toString());
                }
            }
        }
        buckets.clear();
        shutdown(writer);
        shutdown(calls);
        shutdown(timers);
        try {
            if (journal != null) {
                journal.close();
            }
        } catch (IOException e) {
            LOG.debug("[{}] closing the journal failed", label(), e);
        }
        if (fs != null) {
            try {
                fs.close();
            } catch (IOException e) {
                LOG.debug("[{}] closing the file system failed", label(), e);
            }
            fs = null;
        }
        if (recoveryFs != null) {
            try {
                recoveryFs.close();
            } catch (IOException e) {
                LOG.debug("[{}] closing the recovery client failed", label(), e);
            }
            recoveryFs = null;
        }
        super.doStop();
    }

    private void shutdown(ExecutorService e) {
        if (e == null) {
            return;
        }
        e.shutdownNow();
        try {
            if (!e.awaitTermination(config.callTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("[{}] an HDFS call did not end within hdfs.callTimeout after stop", label());
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events of taken batches that HDFS already held (exactly-once mode), for tests and metrics. */
    public synchronized long skippedEvents() {
        return skippedEvents;
    }

    @Override
    protected synchronized void beforeBatch() throws EventDeliveryException {
        if (needsRecovery) {
            recover();
        }
        if (ugi != null && hadoop.kerberos()) {
            try {
                ugi.checkTGTAndReloginFromKeytab();
            } catch (IOException e) {
                throw new EventDeliveryException("[" + label() + "] Kerberos re-login as " + config.kerberosPrincipal()
                        + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    protected synchronized void deliver(List<Event> events) throws EventDeliveryException {
        if (fs == null) {
            throw new EventDeliveryException("[" + label() + "] the sink is stopped or HDFS was never reached");
        }
        long[] positions = null;
        int skip = 0;
        if (config.exactlyOnce()) {
            positions = positions(events.size());
            skip = alreadyWritten(positions);
            if (skip > 0) {
                skipped(skip, positions);
            }
        }
        if (skip == events.size()) {
            return;
        }
        long now = clock.millis();
        Set<BucketFile> touched = new LinkedHashSet<>();
        rolledThisBatch.clear();
        final int from = skip;
        final long[] batchPositions = positions;
        try {
            call(writer, () -> {
                writeBatch(events, from, now, touched);
                for (BucketFile b : touched) {
                    b.writer().sync(config.hsync());
                }
                if (config.exactlyOnce()) {
                    commitRecord(batchPositions, events.size());
                }
                return null;
            }, "writing " + (events.size() - from) + " events");
        } catch (IOException | RuntimeException e) {
            failed(touched);
            throw new EventDeliveryException("[" + label() + "] writing " + (events.size() - from)
                    + " events to HDFS failed; the take is rolled back and will be retried: " + e, e);
        }
        for (BucketFile b : touched) {
            afterBatch(b);
        }
    }

    private void writeBatch(List<Event> events, int from, long now, Set<BucketFile> touched) throws IOException {
        PathTemplate.TimeSettings time = config.time();
        for (int i = from; i < events.size(); i++) {
            Event e = events.get(i);
            String dir = config.path().expand(e.headers(), time, now);
            String prefix = config.filePrefix().expand(e.headers(), time, now);
            String key = dir + "/" + prefix;
            BucketFile b = buckets.get(key);
            if (b == null) {
                b = new BucketFile(dir, prefix, extension, config.inUsePrefix(), config.inUseSuffix(), writers, now);
                buckets.put(key, b);
            }
            if (!b.isOpen()) {
                open(b, now);
            } else if (b.shouldRoll(config.rollCount(), config.rollSize()) || underReplicated(b)) {
                roll(b, now);
            }
            b.append(e);
            touched.add(b);
        }
    }

    private boolean underReplicated(BucketFile b) {
        int replicas = b.writer().currentReplicas();
        if (replicas < 0) {
            return false;
        }
        int wanted = config.minBlockReplicas() != null ? config.minBlockReplicas()
                : fs.getDefaultReplication(new Path(b.inUsePath()));
        if (replicas >= wanted) {
            b.underReplicatedRolls = 0;
            return false;
        }
        if (b.underReplicatedRolls >= MAX_UNDER_REPLICATED_ROLLS) {
            return false;
        }
        b.underReplicatedRolls++;
        LOG.warn("[{}] {} has {} replicas of its block, fewer than {}; rolling it", label(), b.inUsePath(), replicas,
                wanted);
        return true;
    }

    private void open(BucketFile b, long now) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            HdfsWriter w = b.next(now);
            journal.opened(b.inUsePath(), b.finalPath());
            try {
                w.open(fs, new Path(b.inUsePath()));
                counter.incrementConnectionCreated();
                scheduleRoll(b);
                LOG.debug("[{}] created {}", label(), b.inUsePath());
                return;
            } catch (FileAlreadyExistsException e) {
                journal.closed(b.inUsePath());
                last = e;
            } catch (IOException | RuntimeException e) {
                counter.incrementConnectionFailed();
                journal.closed(b.inUsePath());
                b.clear();
                throw e;
            }
        }
        b.clear();
        throw new IOException("could not find a free file name in " + b.finalPath(), last);
    }

    private void scheduleRoll(BucketFile b) {
        if (config.rollIntervalSeconds() > 0) {
            int gen = b.generation;
            b.rollTimer = timers.schedule(() -> timedClose(b, gen, "rollInterval"), config.rollIntervalSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    private void roll(BucketFile b, long now) throws IOException {
        LOG.debug("[{}] rolling {} after {} events", label(), b.inUsePath(), b.events());
        if (config.exactlyOnce()) {
            String inUse = b.inUsePath();
            String fin = b.finalPath();
            b.writer().close();
            long length = fs.getFileStatus(new Path(inUse)).getLen();
            rolledThisBatch.add(new CommitLog.CommittedFile(inUse, fin, length));
            b.clear();
            counter.incrementConnectionClosed();
        } else {
            closeAndRename(b);
        }
        open(b, now);
    }

    /** Exactly-once: the commit record of this batch, then the renames it allows. */
    private void commitRecord(long[] positions, int count) throws IOException {
        CommitLog.Batch batch = positions == null || positions.length != count ? null
                : new CommitLog.Batch(positions[0], positions[count - 1], count);
        List<CommitLog.CommittedFile> files = new ArrayList<>(rolledThisBatch);
        for (BucketFile b : buckets.values()) {
            if (b.isOpen()) {
                files.add(new CommitLog.CommittedFile(b.inUsePath(), b.finalPath(), b.writer().length()));
            }
        }
        lastCommit = commits.write(batch, files);
        for (CommitLog.CommittedFile f : rolledThisBatch) {
            rename(f.inUsePath(), f.finalPath());
            journal.closed(f.inUsePath());
        }
        rolledThisBatch.clear();
    }

    private void afterBatch(BucketFile b) {
        if (!b.isOpen()) {
            return;
        }
        try {
            b.committed(b.writer().length());
        } catch (IOException e) {
            b.committed(b.committedLength());
        }
        if (config.idleTimeoutSeconds() > 0) {
            if (b.idleTimer != null) {
                b.idleTimer.cancel(false);
            }
            int gen = b.generation;
            b.idleTimer = timers.schedule(() -> timedClose(b, gen, "idleTimeout"), config.idleTimeoutSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    private synchronized void timedClose(BucketFile b, int generation, String why) {
        if (!b.isOpen() || b.generation != generation || fs == null) {
            return;
        }
        LOG.debug("[{}] closing {} on {}", label(), b.inUsePath(), why);
        closeQuietly(b);
        buckets.values().remove(b);
    }

    private void evict(BucketFile b) {
        if (b.isOpen()) {
            LOG.debug("[{}] closing {}: more than hdfs.maxOpenFiles = {} files open", label(), b.inUsePath(),
                    config.maxOpenFiles());
            closeQuietly(b);
        }
    }

    /** Closes, renames and forgets the bucket's file; failures are retried on the timer. */
    private void closeQuietly(BucketFile b) {
        try {
            call(calls, () -> {
                closeAndRename(b);
                return null;
            }, "closing " + b.inUsePath());
        } catch (IOException | RuntimeException e) {
            abandon(b);
        }
    }

    private void closeAndRename(BucketFile b) throws IOException {
        String inUse = b.inUsePath();
        String fin = b.finalPath();
        try {
            b.writer().close();
        } finally {
            b.clear();
        }
        counter.incrementConnectionClosed();
        rename(inUse, fin);
        journal.closed(inUse);
    }

    /**
     * Gives up a file after a failure. At least once: closes it in the background (lease recovery
     * when the close fails) and renames it, as often as {@code hdfs.closeTries} allows, every
     * {@code hdfs.retryInterval}. Exactly once: the next recovery deals with it.
     */
    private void abandon(BucketFile b) {
        if (!b.isOpen()) {
            return;
        }
        HdfsWriter w = b.writer();
        String inUse = b.inUsePath();
        String fin = b.finalPath();
        b.clear();
        counter.incrementConnectionFailed();
        if (config.exactlyOnce()) {
            calls.execute(() -> quietClose(w, inUse));
            return;
        }
        abandoned.put(inUse, fin);
        calls.execute(() -> finishAbandoned(w, inUse, fin, 1));
    }

    private void quietClose(HdfsWriter w, String path) {
        try {
            w.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("[{}] closing abandoned {} failed: {}", label(), path, e.toString());
        }
    }

    private void finishAbandoned(HdfsWriter w, String inUse, String fin, int attempt) {
        FileSystem f = fs;
        if (f == null) {
            return;
        }
        try {
            if (w != null) {
                quietClose(w, inUse);
            }
            Path p = new Path(inUse);
            if (f.exists(p)) {
                recoverLease(f, p);
                if (!inUse.equals(fin) && !f.rename(p, new Path(fin))) {
                    throw new IOException("rename to " + fin + " refused");
                }
            }
            journal.closed(inUse);
            abandoned.remove(inUse);
            LOG.info("[{}] closed {} after a failure", label(), fin);
        } catch (IOException | RuntimeException e) {
            if (attempt < config.effectiveCloseTries() && config.retryIntervalSeconds() > 0 && !timers.isShutdown()) {
                LOG.warn("[{}] closing {} failed (try {}); retrying in {} s: {}", label(), inUse, attempt,
                        config.retryIntervalSeconds(), e.toString());
                timers.schedule(() -> finishAbandoned(null, inUse, fin, attempt + 1), config.retryIntervalSeconds(),
                        TimeUnit.SECONDS);
            } else {
                LOG.error("[{}] giving up closing {} after {} tries; it stays in use and is recovered at the next"
                        + " start: {}", label(), inUse, attempt, e.toString());
            }
        }
    }

    private void failed(Set<BucketFile> touched) {
        if (config.exactlyOnce()) {
            for (BucketFile b : new ArrayList<>(buckets.values())) {
                abandon(b);
            }
            buckets.clear();
            rolledThisBatch.clear();
            needsRecovery = true;
            return;
        }
        for (BucketFile b : touched) {
            abandon(b);
            buckets.values().remove(b);
        }
    }

    private void rename(String inUse, String fin) throws IOException {
        if (inUse.equals(fin)) {
            return;
        }
        if (!fs.rename(new Path(inUse), new Path(fin))) {
            throw new IOException("could not rename " + inUse + " to " + fin + " (does " + fin + " exist?)");
        }
    }

    // ---- recovery ----

    private void recover() throws EventDeliveryException {
        try {
            call(calls, () -> {
                if (fs == null) {
                    connect();
                }
                Map<String, String> leftovers = journal.leftovers();
                if (config.exactlyOnce()) {
                    recoverExactlyOnce(leftovers);
                } else {
                    for (Map.Entry<String, String> f : leftovers.entrySet()) {
                        finishLeftover(f.getKey(), f.getValue(), -1);
                    }
                }
                journal.reset(Map.of());
                return null;
            }, "recovering in-use files");
            needsRecovery = false;
        } catch (IOException | RuntimeException e) {
            throw new EventDeliveryException("[" + label() + "] cannot recover its in-use files on HDFS yet (will"
                    + " retry): " + e, e);
        }
    }

    private void connect() throws IOException, InterruptedException {
        ugi = hadoop.login(config);
        Path root = new Path(config.path().staticDirectory().isEmpty() ? "/" : config.path().staticDirectory());
        fs = ugi == null ? FileSystem.newInstance(root.toUri(), hadoop.conf())
                : ugi.doAs((PrivilegedExceptionAction<FileSystem>) () -> FileSystem.newInstance(root.toUri(),
                        hadoop.conf()));
        recoveryFs = ugi == null ? FileSystem.newInstance(root.toUri(), hadoop.conf())
                : ugi.doAs((PrivilegedExceptionAction<FileSystem>) () -> FileSystem.newInstance(root.toUri(),
                        hadoop.conf()));
        if (config.exactlyOnce()) {
            Path base = fs.makeQualified(root);
            commits = new CommitLog(fs, new Path(new Path(base, CommitLog.DIRECTORY), commitName));
        }
    }

    private void recoverExactlyOnce(Map<String, String> leftovers) throws IOException {
        CommitLog.Record rec = commits.latest();
        Map<String, CommitLog.CommittedFile> committed = new LinkedHashMap<>();
        if (rec != null) {
            for (CommitLog.CommittedFile f : rec.files()) {
                committed.put(f.inUsePath(), f);
            }
        }
        Map<String, String> all = new LinkedHashMap<>(leftovers);
        committed.values().forEach(f -> all.putIfAbsent(f.inUsePath(), f.finalPath()));
        for (Map.Entry<String, String> f : all.entrySet()) {
            CommitLog.CommittedFile c = committed.get(f.getKey());
            if (c == null) {
                Path p = new Path(f.getKey());
                if (fs.exists(p)) {
                    recoverLease(fs, p);
                    fs.delete(p, false);
                    LOG.info("[{}] deleted {}: it held only data no commit record covers (still in the channel)",
                            label(), p);
                }
            } else {
                finishLeftover(c.inUsePath(), c.finalPath(), c.length());
            }
        }
        lastCommit = rec;
        if (rec != null && rec.batch() != null) {
            LOG.info("[{}] exactly once: last commit record {} covers channel positions {}..{} ({} events)", label(),
                    rec.seq(), rec.batch().first(), rec.batch().last(), rec.batch().count());
        }
    }

    /** Recovers the lease of a leftover in-use file, cuts it to {@code length} (unless -1) and renames it. */
    private void finishLeftover(String inUse, String fin, long length) throws IOException {
        Path p = new Path(inUse);
        if (!fs.exists(p)) {
            return;
        }
        recoverLease(fs, p);
        if (length >= 0) {
            long actual = fs.getFileStatus(p).getLen();
            if (actual > length) {
                LOG.info("[{}] cutting {} from {} to {} bytes: the rest was never committed", label(), p, actual,
                        length);
                if (!fs.truncate(p, length)) {
                    awaitClosed(fs, p);
                }
            }
        }
        if (!inUse.equals(fin)) {
            if (!fs.rename(p, new Path(fin))) {
                throw new IOException("could not rename leftover " + inUse + " to " + fin);
            }
        }
        LOG.info("[{}] recovered leftover in-use file {} as {}", label(), inUse, fin);
    }

    private void recoverLease(FileSystem ignored, Path p) throws IOException {
        FileSystem f = recoveryFs;
        if (f instanceof DistributedFileSystem dfs && !dfs.isFileClosed(p)) {
            if (!dfs.recoverLease(p)) {
                awaitClosed(f, p);
            }
        }
    }

    private void awaitClosed(FileSystem f, Path p) throws IOException {
        if (!(f instanceof DistributedFileSystem dfs)) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(60_000, config.callTimeoutMillis()));
        while (!dfs.isFileClosed(p)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the lease of " + p + " was not recovered in time");
            }
            try {
                dfs.recoverLease(p);
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while recovering the lease of " + p, e);
            }
        }
    }

    // ---- exactly once ----

    private long[] positions(int n) throws EventDeliveryException {
        Transaction tx = currentTransaction();
        if (!(tx instanceof PositionedTransaction p)) {
            throw new EventDeliveryException("[" + label() + "] hdfs.exactlyOnce needs a file channel; this channel's"
                    + " transactions cannot name positions");
        }
        long[] positions = p.takenPositions();
        if (positions == null || positions.length != n) {
            LOG.warn("[{}] the channel skipped damaged events in this batch; it is written without a position and a"
                    + " crash before its commit could write it twice", label());
            return null;
        }
        return positions;
    }

    /**
     * Counts and logs a re-delivered batch head that is not written again. It happens once per
     * restart or per failed take commit, so each is logged at WARN: a skip is never silent.
     */
    private void skipped(int skip, long[] positions) {
        skippedEvents += skip;
        counter.counter(EXACTLY_ONCE_SKIPPED).add(skip);
        CommitLog.Batch b = lastCommit.batch();
        LOG.warn("[{}] not writing {} of the {} events the channel handed out again: commit record {} under {} says"
                + " the batch at channel positions {}..{} ({} events) is already in HDFS (its take was not committed"
                + " before a crash or a failed commit); counted in {}", label(), skip, positions.length,
                lastCommit.seq(), commits.directory(), position(b.first()), position(b.last()), b.count(),
                EXACTLY_ONCE_SKIPPED);
    }

    /** A file channel position as segment:offset. */
    private static String position(long p) {
        return (p >>> 32) + ":" + (p & 0xFFFFFFFFL);
    }

    private int alreadyWritten(long[] positions) {
        if (positions == null || lastCommit == null || lastCommit.batch() == null) {
            return 0;
        }
        CommitLog.Batch b = lastCommit.batch();
        if (positions[0] != b.first()) {
            return 0;
        }
        if (positions.length >= b.count()) {
            return positions[b.count() - 1] == b.last() ? b.count() : 0;
        }
        return positions.length;
    }

    // ---- calls with hdfs.callTimeout ----

    private <T> T call(ExecutorService pool, Callable<T> work, String what) throws IOException {
        Future<T> f;
        try {
            f = pool.submit(ugi == null ? work : () -> ugi.doAs((PrivilegedExceptionAction<T>) work::call));
        } catch (RejectedExecutionException e) {
            throw new IOException("the sink is stopping", e);
        }
        try {
            return f.get(config.callTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException(what + " took longer than hdfs.callTimeout = " + config.callTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(what + " failed: " + c, c);
        }
    }

    @Override
    public String batchSizeKey() {
        return "hdfs.batchSize";
    }

    /**
     * For tests: what a process killed right after its last commit leaves behind: every file closed
     * but still in use and in the journal, for the next start to recover.
     */
    synchronized void closeWithoutRenamingForTest() throws IOException {
        for (BucketFile b : buckets.values()) {
            if (b.isOpen()) {
                b.writer().close();
                b.clear();
            }
        }
        buckets.clear();
    }

    /** For tests: the in-use paths of the open files. */
    synchronized List<String> openFiles() {
        List<String> out = new ArrayList<>();
        for (Iterator<BucketFile> it = buckets.values().iterator(); it.hasNext();) {
            BucketFile b = it.next();
            if (b.isOpen()) {
                out.add(b.inUsePath());
            }
        }
        return out;
    }
}
