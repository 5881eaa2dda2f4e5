package io.sluice.channel.file.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit writer: one thread takes every waiting {@link CommitRequest}, appends their
 * records and COMMIT records to the current segment of each request's data directory through one
 * large buffer, fsyncs each touched directory once (in parallel when there are several), hands the
 * whole group to the {@link Applier} in commit order, and only then releases the committers. So
 * concurrent transactions share one fsync, and a commit returns only after the fsync that covers
 * its COMMIT record.
 *
 * <p>When a write or fsync fails, every request of the group fails, each touched segment is cut
 * back to where the group started (so no COMMIT record of a failed commit stays behind), and the
 * next group starts a new segment if the cut failed.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread; all file state is confined to the
 * writer thread. {@link Applier#applied} runs on the writer thread.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    private static final int BUFFER_SIZE = 4 * 1024 * 1024;
    private static final int MAX_GROUP = 4096;

    /** Receives every durable group, in commit order, on the writer thread. */
    public interface Applier {
        /**
         * @param group the committed requests in commitSeq order
         * @param dirEnds for each data directory, the pointer-encoded end of its log after the group
         */
        void applied(List<CommitRequest> group, long[] dirEnds);
    }

    /** State of one data directory; confined to the writer thread. */
    private static final class Dir {
        final int index;
        final Path path;
        SegmentFile current;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        final List<SegmentFile> rolledInGroup = new ArrayList<>();
        boolean touched;
        long groupStart;
        boolean needsNewSegment;
        ExecutorService syncer;

        Dir(int index, Path path) {
            this.index = index;
            this.path = path;
        }
    }

    private final String label;
    private final Dir[] dirs;
    private final long maxFileSize;
    private final AtomicInteger nextSegmentId;
    private final Applier applier;
    private final Clock clock;
    private final SegmentListener segmentListener;
    private final LinkedBlockingQueue<CommitRequest> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final CRC32C crc = new CRC32C();
    private final byte[] commitScratch = new byte[LogFormat.COMMIT_RECORD_SIZE];
    private volatile boolean running = true;
    private long commitSeq;

    /** Told when the writer opens a new segment, before any pointer into it is applied. */
    public interface SegmentListener {
        void opened(int dirIndex, int segmentId, Path path);

        /** The segment was cut back after a failed write; cached reads of it must be dropped. */
        void truncated(int segmentId);
    }

    public LogWriter(String label, List<Path> dataDirs, long maxFileSize, AtomicInteger nextSegmentId,
            long lastCommitSeq, Clock clock, Applier applier, SegmentListener segmentListener) throws IOException {
        this.label = label;
        this.maxFileSize = maxFileSize;
        this.nextSegmentId = nextSegmentId;
        this.commitSeq = lastCommitSeq;
        this.applier = applier;
        this.clock = clock;
        this.segmentListener = segmentListener;
        this.dirs = new Dir[dataDirs.size()];
        for (int i = 0; i < dirs.length; i++) {
            dirs[i] = new Dir(i, dataDirs.get(i));
            openNewSegment(dirs[i]);
            if (dirs.length > 1) {
                int n = i;
                dirs[i].syncer = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "sluice-file-channel-sync-" + label + "-" + n);
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        this.thread = new Thread(this::run, "sluice-file-channel-writer-" + label);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The pointer-encoded end of each data directory's log (segment id, size); writer-thread state. */
    public synchronized long[] ends() {
        long[] out = new long[dirs.length];
        for (int i = 0; i < dirs.length; i++) {
            out[i] = LogFormat.pointer(dirs[i].current.id(), dirs[i].current.size());
        }
        return out;
    }

    public void submit(CommitRequest request) {
        if (!running) {
            request.complete(new IOException(label + " the log writer is stopped"));
            return;
        }
        queue.add(request);
    }

    private void run() {
        List<CommitRequest> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                CommitRequest first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                writeGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                LOG.error("{} the log writer failed unexpectedly", label, e);
                for (CommitRequest r : group) {
                    r.complete(e);
                }
            } finally {
                group.clear();
            }
        }
        CommitRequest r;
        while ((r = queue.poll()) != null) {
            r.complete(new IOException(label + " the log writer stopped before this commit was written"));
        }
    }

    private void writeGroup(List<CommitRequest> group) {
        List<Dir> touched = new ArrayList<>(2);
        long seqBefore = commitSeq;
        try {
            synchronized (this) {
                for (CommitRequest req : group) {
                    Dir d = dirs[req.dir % dirs.length];
                    if (d.needsNewSegment) {
                        d.needsNewSegment = false;
                        SegmentFile old = d.current;
                        openNewSegment(d);
                        closeQuietly(old);
                    }
                    if (!d.touched) {
                        d.touched = true;
                        d.groupStart = d.current.size();
                        touched.add(d);
                    }
                    int total = req.length + LogFormat.COMMIT_RECORD_SIZE;
                    long end = d.current.size() + d.buffer.position();
                    if (end + total > maxFileSize && end > LogFormat.SEGMENT_HEADER_SIZE) {
                        flush(d);
                        d.rolledInGroup.add(d.current);
                        openNewSegment(d);
                    }
                    long base = d.current.size() + d.buffer.position();
                    long[] pointers = new long[req.putCount];
                    for (int i = 0; i < req.putCount; i++) {
                        pointers[i] = LogFormat.pointer(d.current.id(), base + req.putOffsets[i]);
                    }
                    req.assign(++commitSeq, pointers);
                    append(d, req.records, 0, req.length);
                    RecordEncoder.commit(crc, commitScratch, 0, req.txId, req.commitSeq(), req.putCount,
                            req.takeCount);
                    append(d, commitScratch, 0, commitScratch.length);
                }
                for (Dir d : touched) {
                    flush(d);
                }
            }
            syncAll(touched);
        } catch (IOException e) {
            commitSeq = seqBefore;
            recover(touched, e);
            for (CommitRequest req : group) {
                req.complete(e);
            }
            return;
        }
        long[] ends;
        synchronized (this) {
            for (Dir d : touched) {
                d.touched = false;
                for (SegmentFile s : d.rolledInGroup) {
                    closeQuietly(s);
                }
                d.rolledInGroup.clear();
            }
            ends = new long[dirs.length];
            for (int i = 0; i < dirs.length; i++) {
                ends[i] = LogFormat.pointer(dirs[i].current.id(), dirs[i].current.size());
            }
        }
        applier.applied(group, ends);
        for (CommitRequest req : group) {
            req.complete(null);
        }
    }

    private void syncAll(List<Dir> touched) throws IOException {
        if (touched.size() == 1) {
            Dir d = touched.get(0);
            for (SegmentFile s : d.rolledInGroup) {
                s.sync();
            }
            d.current.sync();
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Dir d : touched) {
            futures.add(d.syncer.submit(() -> {
                for (SegmentFile s : d.rolledInGroup) {
                    s.sync();
                }
                d.current.sync();
                return null;
            }));
        }
        IOException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                first = first == null ? new IOException("interrupted while waiting for fsync") : first;
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                IOException io = c instanceof IOException ? (IOException) c : new IOException(c);
                first = first == null ? io : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private synchronized void recover(List<Dir> touched, IOException cause) {
        LOG.error("{} writing to the log failed; the commits of this group fail and are cut from the log: {}",
                label, cause.toString());
        for (Dir d : touched) {
            d.touched = false;
            d.buffer.clear();
            // When opening the next segment failed (a full disk), the current segment is the one
            // just rolled: it is cut and closed with the rolled ones, and the next commit opens a new
            // one. Cutting it a second time would only fail on the closed file.
            boolean currentRolled = d.rolledInGroup.contains(d.current);
            try {
                for (int i = 0; i < d.rolledInGroup.size(); i++) {
                    // the group started in the first rolled segment; later ones were opened for it
                    SegmentFile s = d.rolledInGroup.get(i);
                    s.truncate(i == 0 ? d.groupStart : LogFormat.SEGMENT_HEADER_SIZE);
                    s.close();
                }
                if (currentRolled) {
                    d.needsNewSegment = true;
                } else {
                    d.current.truncate(d.rolledInGroup.isEmpty() ? d.groupStart : LogFormat.SEGMENT_HEADER_SIZE);
                }
                for (SegmentFile s : d.rolledInGroup) {
                    segmentListener.truncated(s.id());
                }
                if (!currentRolled) {
                    segmentListener.truncated(d.current.id());
                }
            } catch (IOException e) {
                LOG.error("{} could not cut {} back after a failed write ({}); the next commit starts a new segment",
                        label, d.current.path(), e.toString());
                d.needsNewSegment = true;
            }
            d.rolledInGroup.clear();
        }
    }

    private void append(Dir d, byte[] src, int off, int len) throws IOException {
        ByteBuffer b = d.buffer;
        if (len > b.remaining()) {
            flush(d);
            if (len > b.capacity()) {
                d.current.append(ByteBuffer.wrap(src, off, len));
                return;
            }
        }
        b.put(src, off, len);
    }

    private void flush(Dir d) throws IOException {
        ByteBuffer b = d.buffer;
        b.flip();
        try {
            d.current.append(b);
        } finally {
            b.clear();
        }
    }

    private void openNewSegment(Dir d) throws IOException {
        int id = nextSegmentId.getAndIncrement();
        d.current = SegmentFile.create(d.path, id, clock.millis(), maxFileSize + 64L * 1024 * 1024);
        segmentListener.opened(d.index, id, d.current.path());
        LOG.debug("{} opened segment {}", label, d.current.path());
    }

    /** Stops after writing everything already submitted. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (Dir d : dirs) {
                closeQuietly(d.current);
                if (d.syncer != null) {
                    d.syncer.shutdownNow();
                }
            }
        }
    }

    private void closeQuietly(SegmentFile s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.warn("{} closing {} failed: {}", label, s.path(), e.toString());
        }
    }
}
