package io.sluice.channel.file.log;

import io.sluice.api.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue under a file channel: the in-memory queue of pointers (with a bounded cache of
 * event objects), reference counts per segment, the {@link LogWriter}, checkpoints and segment
 * deletion.
 *
 * <p>Thread-safe. {@code lock} guards the queue, the cache accounting, the reference counts, the
 * in-flight take lists and the applied position; it is never held during file I/O except the
 * copy of the queue for a checkpoint (memory only). Reads of events from disk happen outside it.
 */
public final class LogStore implements LogWriter.Applier, LogWriter.SegmentListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);

    private final String label;
    private final Path checkpointDir;
    private final Path backupDir;
    private final List<Path> dataDirs;
    private final Clock clock;
    private final long cacheBudget;
    private final Object lock = new Object();
    private final PointerQueue queue;
    private final Map<Integer, int[]> refs = new HashMap<>();
    private final Map<Integer, Integer> segmentDir = new ConcurrentHashMap<>();
    private final Map<Integer, Path> segmentPaths = new ConcurrentHashMap<>();
    private final Map<Integer, SegmentReader> readers = new ConcurrentHashMap<>();
    /** The newest committed marker of each owner; guarded by {@link #lock}. */
    private final Map<String, byte[]> markers = new HashMap<>();
    private final Set<TakeList> inflight = Collections.newSetFromMap(new IdentityHashMap<>());
    private final AtomicLong nextTxId;
    private final LogWriter writer;
    private final Object checkpointLock = new Object();
    private long cacheBytes;
    private long appliedSeq;
    private long[] appliedEnds;
    private volatile long[] checkpointStarts;
    private final ReplayResult recovered;
    private final LongAdder corruptSkipped;

    /** Recovers from disk and opens a new segment in every data directory. */
    public LogStore(String label, Path checkpointDir, Path backupDir, List<Path> dataDirs, long maxFileSize,
            long cacheBudget, Clock clock, LongAdder corruptSkipped) throws IOException {
        this.corruptSkipped = corruptSkipped;
        this.label = label;
        this.checkpointDir = checkpointDir;
        this.backupDir = backupDir;
        this.dataDirs = List.copyOf(dataDirs);
        this.clock = clock;
        this.cacheBudget = cacheBudget;
        long t0 = System.nanoTime();
        ReplayResult r = new Replayer(label, true, true).recover(checkpointDir, backupDir, this.dataDirs);
        this.recovered = r;
        this.queue = r.queue;
        this.markers.putAll(r.markers);
        for (int d = 0; d < this.dataDirs.size(); d++) {
            for (Map.Entry<Integer, Path> e : SegmentDirectory.list(this.dataDirs.get(d)).entrySet()) {
                segmentDir.put(e.getKey(), d);
                segmentPaths.put(e.getKey(), e.getValue());
            }
        }
        long tReplayed = System.nanoTime();
        int runSeg = -1;
        int[] runCount = null;
        for (int i = 0; i < queue.size(); i++) {
            int seg = LogFormat.segmentOf(queue.get(i));
            if (seg != runSeg) {
                runSeg = seg;
                runCount = refs.computeIfAbsent(seg, k -> new int[1]);
            }
            runCount[0]++;
        }
        LOG.debug("{} replay took {} ms, reference counts {} ms", label, (tReplayed - t0) / 1_000_000,
                (System.nanoTime() - tReplayed) / 1_000_000);
        for (Integer seg : refs.keySet()) {
            if (!segmentPaths.containsKey(seg)) {
                LOG.error("{} {} live events point into segment {}, which is missing from every data directory;"
                        + " taking them will fail", label, refs.get(seg)[0], seg);
            }
        }
        int maxSeg = Math.max(r.highestSegmentId,
                segmentPaths.keySet().stream().mapToInt(Integer::intValue).max().orElse(0));
        this.appliedSeq = r.lastCommitSeq;
        this.nextTxId = new AtomicLong(r.maxTxId + 1);
        this.writer = new LogWriter(label, this.dataDirs, maxFileSize, new AtomicInteger(maxSeg + 1), r.lastCommitSeq,
                clock, this, this);
        this.appliedEnds = writer.ends();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        corruptSkipped.add(r.eventsLost);
        LOG.info("{} recovered {} events in {} ms from checkpoint {} plus {} transactions ({} puts, {} takes) of"
                + " the log; {} bytes and {} records dropped; {} damaged records skipped, {} events lost to them",
                label, queue.size(), ms, r.checkpointSource, r.transactionsReplayed, r.putsReplayed,
                r.takesReplayed, r.bytesDropped, r.recordsDropped, r.corruptRecords, r.eventsLost);
    }

    public ReplayResult recovered() {
        return recovered;
    }

    public long newTxId() {
        return nextTxId.getAndIncrement();
    }

    public int size() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** The marker {@code owner} committed last, null when none. */
    public byte[] marker(String owner) {
        synchronized (lock) {
            return markers.get(owner);
        }
    }

    public int dataDirCount() {
        return dataDirs.size();
    }

    /** Moves up to {@code max} pointers from the head into {@code list} and returns their events. */
    public int take(TakeList list, int max, List<? super Event> out) throws IOException {
        int from = list.size;
        synchronized (lock) {
            int n = Math.min(max, queue.size());
            if (from == 0 && n > 0) {
                inflight.add(list);
            }
            for (int i = 0; i < n; i++) {
                Event e = queue.peekEvent();
                long p = queue.removeFirst();
                if (e != null) {
                    cacheBytes -= weight(e);
                }
                list.add(p, e);
            }
        }
        int taken = 0;
        for (int i = from; i < list.size; i++) {
            Event e = list.events[i];
            if (e == null) {
                long p = list.pointers[i];
                try {
                    e = reader(LogFormat.segmentOf(p)).read(LogFormat.offsetOf(p));
                } catch (CorruptRecordException c) {
                    LOG.error("{} skipping an event that cannot be read back: {}", label, c.getMessage());
                    corruptSkipped.increment();
                    continue;
                }
            }
            out.add(e);
            taken++;
        }
        return taken;
    }

    /** Puts the pointers of an uncommitted take back at the head, in their order. */
    public void giveBack(TakeList list) {
        synchronized (lock) {
            for (int i = list.size - 1; i >= 0; i--) {
                Event e = list.events[i];
                if (e != null && cacheBytes + weight(e) <= cacheBudget) {
                    cacheBytes += weight(e);
                } else {
                    e = null;
                }
                queue.addFirst(list.pointers[i], e);
            }
            inflight.remove(list);
        }
        list.clear();
    }

    /** Writes the transaction, waits for the fsync covering it and applies it; throws on failure. */
    public void commit(CommitRequest request) throws IOException {
        writer.submit(request);
        Throwable t = request.await();
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t != null) {
            throw new IOException(t.toString(), t);
        }
    }

    @Override
    public void applied(List<CommitRequest> group, long[] dirEnds) {
        synchronized (lock) {
            for (CommitRequest req : group) {
                long[] ptrs = req.putPointers();
                List<Event> events = req.events();
                int[] last = null;
                int lastSeg = -1;
                for (int i = 0; i < req.putCount(); i++) {
                    int seg = LogFormat.segmentOf(ptrs[i]);
                    if (seg != lastSeg) {
                        last = refs.computeIfAbsent(seg, k -> new int[1]);
                        lastSeg = seg;
                    }
                    last[0]++;
                    Event e = events.get(i);
                    long w = weight(e);
                    if (cacheBytes + w <= cacheBudget) {
                        cacheBytes += w;
                    } else {
                        e = null;
                    }
                    queue.addLast(ptrs[i], e);
                }
                long[] takes = req.takes();
                for (int i = 0; i < req.takeCount(); i++) {
                    int[] c = refs.get(LogFormat.segmentOf(takes[i]));
                    if (c != null && --c[0] == 0) {
                        refs.remove(LogFormat.segmentOf(takes[i]));
                    }
                }
                if (req.takeCount() > 0) {
                    inflight.remove(req.takeList());
                }
                if (req.markerOwner() != null) {
                    markers.put(req.markerOwner(), req.marker());
                }
                appliedSeq = req.commitSeq();
            }
            appliedEnds = dirEnds;
        }
    }

    @Override
    public void opened(int dirIndex, int segmentId, Path path) {
        segmentDir.put(segmentId, dirIndex);
        segmentPaths.put(segmentId, path);
    }

    @Override
    public void truncated(int segmentId) {
        SegmentReader r = readers.remove(segmentId);
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                LOG.debug("{} closing {} failed", label, r.path(), e);
            }
        }
    }

    /** Writes a checkpoint (and its backup), then deletes segments nothing points into. */
    public void checkpoint() throws IOException {
        synchronized (checkpointLock) {
            Checkpoint cp;
            synchronized (lock) {
                int n = queue.size();
                for (TakeList t : inflight) {
                    n += t.size;
                }
                long[] all = new long[n];
                int at = 0;
                for (TakeList t : inflight) {
                    System.arraycopy(t.pointers, 0, all, at, t.size);
                    at += t.size;
                }
                queue.copyTo(all, at);
                cp = new Checkpoint(clock.millis(), appliedSeq, nextTxId.get(), appliedEnds, all, n, markers);
            }
            long t0 = System.nanoTime();
            cp.write(checkpointDir);
            if (backupDir != null) {
                cp.write(backupDir);
            }
            checkpointStarts = cp.dirStarts();
            LOG.debug("{} checkpoint of {} events written in {} ms", label, cp.size(),
                    (System.nanoTime() - t0) / 1_000_000);
            deleteUnused();
        }
    }

    private void deleteUnused() {
        long[] starts = checkpointStarts;
        if (starts == null) {
            return;
        }
        List<Integer> doomed = new ArrayList<>();
        synchronized (lock) {
            for (Map.Entry<Integer, Integer> e : segmentDir.entrySet()) {
                int seg = e.getKey();
                int dir = e.getValue();
                if (seg < LogFormat.segmentOf(starts[dir]) && !refs.containsKey(seg)) {
                    doomed.add(seg);
                }
            }
        }
        for (int seg : doomed) {
            Path p = segmentPaths.get(seg);
            SegmentReader r = readers.remove(seg);
            try {
                if (r != null) {
                    r.close();
                }
                Files.deleteIfExists(p);
                Integer dir = segmentDir.remove(seg);
                segmentPaths.remove(seg);
                if (dir != null) {
                    Fsync.directory(dataDirs.get(dir));
                }
                LOG.info("{} deleted segment {}: no live event points into it", label, p);
            } catch (IOException e) {
                LOG.warn("{} could not delete segment {}: {}", label, p, e.toString());
            }
        }
    }

    /** The segment files currently on disk, by id. */
    public Map<Integer, Path> segments() {
        return Map.copyOf(segmentPaths);
    }

    private SegmentReader reader(int seg) throws IOException {
        SegmentReader r = readers.get(seg);
        if (r != null) {
            return r;
        }
        Path p = segmentPaths.get(seg);
        if (p == null) {
            throw new IOException(label + " segment " + seg + " is not on disk (an event points into it)");
        }
        synchronized (readers) {
            r = readers.get(seg);
            if (r == null) {
                r = new SegmentReader(seg, p);
                readers.put(seg, r);
            }
        }
        return r;
    }

    private static long weight(Event e) {
        return e.estimatedSize() + 96;
    }

    /** Stops the writer (after pending commits), optionally writes a last checkpoint, closes files. */
    public void close(boolean checkpoint) {
        writer.close();
        if (checkpoint) {
            try {
                checkpoint();
            } catch (IOException e) {
                LOG.warn("{} the checkpoint on close failed; the next start replays the log instead: {}", label,
                        e.toString());
            }
        }
        for (SegmentReader r : readers.values()) {
            try {
                r.close();
            } catch (IOException e) {
                LOG.debug("{} closing {} failed", label, r.path(), e);
            }
        }
        readers.clear();
    }

    @Override
    public void close() {
        close(true);
    }
}
