package io.sluice.channel.file.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the channel's queue: loads the newest readable checkpoint (the main one, else the
 * backup, else none: a full replay of every segment, never an empty channel), then replays the
 * transactions committed after it, merging the data directories by commit sequence.
 *
 * <p>A damaged record whose framing still holds (its checksum fails, but its length leads to a
 * valid record or to the end of the log) costs only itself: it is skipped and kept on disk, logged
 * with its file, offset and both checksums, and counted; the events of its transaction that are
 * intact are replayed when the transaction's COMMIT record is intact (a damaged PUT loses that one
 * event; a damaged TAKE may bring its events back, a duplicate, never a loss; a damaged COMMIT loses
 * its transaction). A bad record whose framing does not hold (torn, wrong length or type) ends its
 * segment: in repair mode the file is cut at the start of the transaction the bad record belongs to,
 * and the file, offset, bytes and records dropped are logged. Without repair (inspection) nothing is
 * changed.
 *
 * <p>Not thread-safe: one replay runs on one thread.
 */
public final class Replayer {
    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

    private final String label;
    private final boolean repair;
    private final boolean verify;
    private final List<String> problems = new ArrayList<>();
    private final Map<Integer, Long> segmentEnds = new HashMap<>();
    private long bytesDropped;
    private long recordsDropped;
    private long corruptRecords;
    private long eventsLost;
    private long maxTxId;

    /**
     * @param repair whether to cut bad tails and remove empty segments (recovery) or only report (inspect)
     * @param verify whether to check every record checksum
     */
    public Replayer(String label, boolean repair, boolean verify) {
        this.label = label;
        this.repair = repair;
        this.verify = verify;
    }

    /** One committed transaction found in the log. */
    private static final class Tx {
        final long seq;
        final long[] puts;
        final long[] takes;
        /** Owner and marker of each MARKER record, in log order; empty for most transactions. */
        final List<Map.Entry<String, byte[]>> markers;

        Tx(long seq, long[] puts, long[] takes, List<Map.Entry<String, byte[]>> markers) {
            this.seq = seq;
            this.puts = puts;
            this.takes = takes;
            this.markers = markers;
        }
    }

    /** Loads the best checkpoint (or none) and replays the log after it. */
    public ReplayResult recover(Path checkpointDir, Path backupDir, List<Path> dataDirs) throws IOException {
        Checkpoint cp = null;
        String source = "none (full replay of every segment)";
        List<Path> candidates = new ArrayList<>();
        candidates.add(checkpointDir);
        if (backupDir != null) {
            candidates.add(backupDir);
        }
        for (Path dir : candidates) {
            try {
                Checkpoint c = Checkpoint.read(dir);
                if (c.dirStarts().length != dataDirs.size()) {
                    problem(false, dir.resolve(LogFormat.CHECKPOINT_FILE) + " names " + c.dirStarts().length
                            + " data directories but " + dataDirs.size() + " are configured; not using it");
                    continue;
                }
                cp = c;
                source = dir.resolve(LogFormat.CHECKPOINT_FILE).toString();
                break;
            } catch (NoSuchFileException e) {
                LOG.debug("{} no checkpoint in {}", label, dir);
            } catch (IOException e) {
                problem(true, "checkpoint unusable: " + e.getMessage());
            }
        }
        if (cp == null && !candidates.isEmpty() && !problems.isEmpty()) {
            problem(true, "no usable checkpoint; replaying every segment instead (the channel is not emptied)");
        }
        return replay(cp, dataDirs, source);
    }

    /** Replays from {@code cp} (null: from the first segment of each directory). */
    public ReplayResult replay(Checkpoint cp, List<Path> dataDirs, String source) throws IOException {
        TreeMap<Integer, Path> all = new TreeMap<>();
        PointerQueue queue = new PointerQueue(cp == null ? 1024 : cp.size() + 1024);
        long lastSeq = 0;
        Map<String, byte[]> markers = new HashMap<>();
        if (cp != null) {
            markers.putAll(cp.markers());
            for (int i = 0; i < cp.size(); i++) {
                queue.addLast(cp.pointer(i), null);
            }
            lastSeq = cp.lastCommitSeq();
            maxTxId = cp.nextTxId() - 1;
        }
        DirStream[] streams = new DirStream[dataDirs.size()];
        for (int i = 0; i < streams.length; i++) {
            TreeMap<Integer, Path> segs = SegmentDirectory.list(dataDirs.get(i));
            all.putAll(segs);
            long start = cp == null ? LogFormat.pointer(0, LogFormat.SEGMENT_HEADER_SIZE) : cp.dirStarts()[i];
            int startSeg = LogFormat.segmentOf(start);
            if (cp != null && startSeg > 0 && !segs.containsKey(startSeg)
                    && LogFormat.offsetOf(start) > LogFormat.SEGMENT_HEADER_SIZE) {
                problem(true, "the checkpoint says replay of " + dataDirs.get(i) + " starts in segment " + startSeg
                        + " at offset " + LogFormat.offsetOf(start) + ", but that file is missing");
            }
            streams[i] = new DirStream(segs.tailMap(startSeg, true), startSeg, LogFormat.offsetOf(start), lastSeq);
        }
        Tx[] heads = new Tx[streams.length];
        for (int i = 0; i < streams.length; i++) {
            heads[i] = streams[i].next();
        }
        LongHashSet pending = new LongHashSet();
        long txs = 0;
        long puts = 0;
        long takes = 0;
        while (true) {
            int best = -1;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (best < 0 || heads[i].seq < heads[best].seq)) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            Tx tx = heads[best];
            heads[best] = streams[best].next();
            txs++;
            lastSeq = Math.max(lastSeq, tx.seq);
            for (Map.Entry<String, byte[]> m : tx.markers) {
                markers.put(m.getKey(), m.getValue());
            }
            for (long p : tx.puts) {
                queue.addLast(p, null);
            }
            puts += tx.puts.length;
            for (long t : tx.takes) {
                if (!queue.isEmpty() && queue.peekPointer() == t) {
                    queue.removeFirst();
                } else {
                    pending.add(t);
                }
            }
            takes += tx.takes.length;
            while (!pending.isEmpty() && !queue.isEmpty() && pending.remove(queue.peekPointer())) {
                queue.removeFirst();
            }
        }
        long orphans = 0;
        if (!pending.isEmpty()) {
            int before = pending.size();
            queue.removeAll(pending);
            orphans = pending.size();
            LOG.debug("{} {} taken pointers were not found at the head during replay; {} of them were not live",
                    label, before, orphans);
        }
        int highest = all.isEmpty() ? 0 : all.lastKey();
        if (cp != null) {
            for (long s : cp.dirStarts()) {
                highest = Math.max(highest, LogFormat.segmentOf(s));
            }
        }
        return new ReplayResult(queue, lastSeq, maxTxId, all, problems, txs, puts, takes, bytesDropped,
                recordsDropped, orphans, source, segmentEnds, highest, corruptRecords, eventsLost, markers);
    }

    private void problem(boolean error, String text) {
        problems.add(text);
        if (error) {
            LOG.error("{} {}", label, text);
        } else {
            LOG.warn("{} {}", label, text);
        }
    }

    /** Reads the committed transactions of one data directory in log order. */
    private final class DirStream {
        private final Iterator<Map.Entry<Integer, Path>> segments;
        private final int startSeg;
        private final long startOffset;
        private final long skipUpToSeq;
        private final int lastSegment;
        private SegmentScanner scanner;
        private long txId = -1;
        private long txStart;
        private int txRecords;
        private long[] puts = new long[64];
        private int putCount;
        private long[] takes = new long[64];
        private int takeCount;
        private final List<Map.Entry<String, byte[]>> txMarkers = new ArrayList<>();
        /** Damaged records skipped inside the current transaction, and where the first one is. */
        private int txCorrupt;
        private String txCorruptAt;

        DirStream(NavigableMap<Integer, Path> segments, int startSeg, long startOffset, long skipUpToSeq) {
            this.segments = segments.entrySet().iterator();
            this.startSeg = startSeg;
            this.startOffset = startOffset;
            this.skipUpToSeq = skipUpToSeq;
            this.lastSegment = segments.isEmpty() ? -1 : segments.lastKey();
        }

        Tx next() throws IOException {
            while (true) {
                if (scanner == null && !open()) {
                    return null;
                }
                SegmentScanner.Status st = scanner.next();
                if (st == SegmentScanner.Status.END) {
                    if (txRecords > 0) {
                        cut(scanner.offset(), "the log ends inside a transaction (no COMMIT record)");
                    } else {
                        segmentEnds.put(scanner.segmentId(), scanner.offset());
                        if (repair && scanner.zeroTail() > 0) {
                            truncate(scanner.path(), scanner.offset());
                        }
                    }
                    closeScanner();
                    continue;
                }
                if (st == SegmentScanner.Status.BAD) {
                    cut(scanner.offset(), scanner.problem());
                    closeScanner();
                    continue;
                }
                if (st == SegmentScanner.Status.CORRUPT) {
                    corruptRecords++;
                    String where = scanner.path() + " offset " + scanner.offset();
                    problem(true, where + ": damaged record of " + scanner.corruptLength() + " bytes: "
                            + scanner.problem() + "; the records around it are intact, so only it is skipped"
                            + (repair ? " (its bytes are kept on disk for 'sluice channel inspect')" : ""));
                    if (txCorrupt == 0) {
                        txCorruptAt = where;
                    }
                    txCorrupt++;
                    continue;
                }
                if (txRecords > 0 && scanner.txId() != txId) {
                    // a transaction without its COMMIT followed by another: the writer never does this,
                    // unless the COMMIT record is the damaged one
                    recordsDropped += txRecords;
                    eventsLost += txCorrupt > 0 ? putCount : 0;
                    problem(true, scanner.path() + " offset " + txStart + ": " + txRecords
                            + " records of transaction " + txId + " have no COMMIT record"
                            + (txCorrupt > 0 ? " (it may be the damaged record at " + txCorruptAt + "); its "
                                    + putCount + " events are lost" : "; ignored"));
                    resetTx();
                }
                if (txRecords == 0) {
                    txId = scanner.txId();
                    txStart = scanner.offset();
                }
                maxTxId = Math.max(maxTxId, scanner.txId());
                txRecords++;
                switch (scanner.type()) {
                    case LogFormat.PUT:
                        if (putCount == puts.length) {
                            puts = Arrays.copyOf(puts, putCount * 2);
                        }
                        puts[putCount++] = LogFormat.pointer(scanner.segmentId(), scanner.offset());
                        break;
                    case LogFormat.TAKE: {
                        int n = scanner.payloadInt(0);
                        if (n < 0 || n * 8L + 4 != scanner.payloadLength()) {
                            cut(scanner.offset(), "TAKE record count " + n + " does not match its length");
                            closeScanner();
                            continue;
                        }
                        if (takeCount + n > takes.length) {
                            takes = Arrays.copyOf(takes, Math.max(takes.length * 2, takeCount + n));
                        }
                        for (int i = 0; i < n; i++) {
                            takes[takeCount++] = scanner.payloadLong(4 + 8 * i);
                        }
                        break;
                    }
                    case LogFormat.ROLLBACK:
                        resetTx();
                        break;
                    case LogFormat.MARKER: {
                        int length = scanner.payloadLength();
                        int ownerLength = length >= 6 ? scanner.payloadShort(0) & 0xFFFF : -1;
                        int markerLength = ownerLength >= 0 && length >= 6 + ownerLength
                                ? scanner.payloadInt(2 + ownerLength) : -1;
                        if (markerLength < 0 || 6L + ownerLength + markerLength != length) {
                            cut(scanner.offset(), "MARKER record lengths do not match its length " + length);
                            closeScanner();
                            continue;
                        }
                        String owner = new String(scanner.payloadBytes(2, ownerLength), StandardCharsets.UTF_8);
                        txMarkers.add(Map.entry(owner, scanner.payloadBytes(6 + ownerLength, markerLength)));
                        break;
                    }
                    case LogFormat.COMMIT: {
                        long seq = scanner.payloadLong(0);
                        int pc = scanner.payloadInt(8);
                        int tc = scanner.payloadInt(12);
                        if (txCorrupt > 0 && pc >= putCount && tc >= takeCount
                                && pc + tc - putCount - takeCount > 0) {
                            // The damaged records were puts or takes of this transaction.
                            eventsLost += pc - putCount;
                            problem(true, scanner.path() + " offset " + txStart + ": transaction " + txId + " lost "
                                    + (pc - putCount) + " of its " + pc + " events" + (tc > takeCount ? " and "
                                    + (tc - takeCount) + " of its " + tc + " takes (those events may be delivered"
                                    + " again)" : "") + " to the damaged record at " + txCorruptAt
                                    + "; its other events are replayed");
                        } else if (pc != putCount || tc != takeCount) {
                            cut(scanner.offset(), "COMMIT record counts " + pc + " puts and " + tc
                                    + " takes but the transaction has " + putCount + " and " + takeCount);
                            closeScanner();
                            continue;
                        }
                        Tx tx = seq > skipUpToSeq ? new Tx(seq, Arrays.copyOf(puts, putCount),
                                Arrays.copyOf(takes, takeCount), txMarkers.isEmpty() ? List.of()
                                        : List.copyOf(txMarkers)) : null;
                        resetTx();
                        if (tx != null) {
                            return tx;
                        }
                        break;
                    }
                    default:
                        throw new IllegalStateException("scanner returned type " + scanner.type());
                }
            }
        }

        private boolean open() throws IOException {
            while (segments.hasNext()) {
                Map.Entry<Integer, Path> e = segments.next();
                SegmentScanner s = new SegmentScanner(e.getValue(), verify);
                if (!s.readHeader()) {
                    long size = s.fileSize();
                    s.close();
                    if (size <= LogFormat.SEGMENT_HEADER_SIZE) {
                        if (repair) {
                            Files.deleteIfExists(e.getValue());
                            LOG.info("{} removed empty segment {} ({} bytes: {})", label, e.getValue(), size,
                                    s.problem());
                        } else {
                            // not damage: recovery removes it; inspection has nothing to report
                            LOG.debug("{} empty segment {} ({})", label, e.getValue(), s.problem());
                        }
                    } else {
                        problem(true, e.getValue() + " cannot be read and is skipped (kept on disk): " + s.problem());
                    }
                    continue;
                }
                if (s.segmentId() != e.getKey()) {
                    problem(true, e.getValue() + " holds segment id " + s.segmentId() + " in its header; skipped");
                    s.close();
                    continue;
                }
                if (e.getKey() == startSeg && startOffset > LogFormat.SEGMENT_HEADER_SIZE) {
                    if (startOffset > s.fileSize()) {
                        problem(true, e.getValue() + " is " + s.fileSize() + " bytes but the checkpoint starts replay at "
                                + startOffset + "; replaying the whole segment");
                    } else {
                        s.seek(startOffset);
                    }
                }
                scanner = s;
                return true;
            }
            return false;
        }

        private void cut(long badOffset, String why) throws IOException {
            long at = txRecords > 0 ? txStart : badOffset;
            long size = scanner.zeroTail() > 0 ? badOffset : scanner.fileSize();
            long dropped = size - at;
            boolean tail = scanner.segmentId() == lastSegment;
            String what = scanner.path() + " offset " + badOffset + ": " + why + "; "
                    + (repair ? "truncated" : "readable data ends") + " at offset " + at + ", " + dropped
                    + " bytes dropped (" + txRecords + " intact records of the same transaction, whose COMMIT"
                    + " record was not reached, plus " + (size - badOffset) + " bytes of damaged or torn data)";
            bytesDropped += dropped;
            recordsDropped += txRecords;
            segmentEnds.put(scanner.segmentId(), at);
            if (tail) {
                problem(false, what);
            } else {
                problem(true, what + "; this is not the newest segment of its directory, so this is damage, not a"
                        + " torn write, and committed events in the dropped bytes are lost");
            }
            if (repair && scanner.fileSize() > at) {
                truncate(scanner.path(), at);
            }
            resetTx();
        }

        private void truncate(Path file, long at) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(at);
                ch.force(true);
            }
        }

        private void resetTx() {
            txCorrupt = 0;
            txCorruptAt = null;
            txMarkers.clear();
            txRecords = 0;
            putCount = 0;
            takeCount = 0;
            txId = -1;
        }

        private void closeScanner() throws IOException {
            resetTx();
            scanner.close();
            scanner = null;
        }
    }
}
