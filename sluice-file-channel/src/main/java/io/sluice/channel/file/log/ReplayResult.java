package io.sluice.channel.file.log;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What recovery (or inspection) found: the live pointers in channel order, the highest commit
 * sequence and transaction id seen, every segment by id, and the problems met on the way.
 *
 * <p>Not thread-safe; handed from the replaying thread to the channel once.
 */
public final class ReplayResult {
    public final PointerQueue queue;
    public final long lastCommitSeq;
    public final long maxTxId;
    public final TreeMap<Integer, Path> segments;
    public final List<String> problems;
    public final long transactionsReplayed;
    public final long putsReplayed;
    public final long takesReplayed;
    public final long bytesDropped;
    public final long recordsDropped;
    public final long orphanTakes;
    public final String checkpointSource;
    public final Map<Integer, Long> segmentEnds;
    /** The highest segment id seen in a file name or the checkpoint; new segments get higher ids. */
    public final int highestSegmentId;
    /** Damaged records skipped because the records around them were intact. */
    public final long corruptRecords;
    /** Committed events lost to damaged records (their PUT or COMMIT record was damaged). */
    public final long eventsLost;
    /** The newest committed marker of each owner ({@link io.sluice.api.MarkedTransaction}). */
    public final Map<String, byte[]> markers;

    ReplayResult(PointerQueue queue, long lastCommitSeq, long maxTxId, TreeMap<Integer, Path> segments,
            List<String> problems, long transactionsReplayed, long putsReplayed, long takesReplayed,
            long bytesDropped, long recordsDropped, long orphanTakes, String checkpointSource,
            Map<Integer, Long> segmentEnds, int highestSegmentId, long corruptRecords, long eventsLost,
            Map<String, byte[]> markers) {
        this.markers = Map.copyOf(markers);
        this.corruptRecords = corruptRecords;
        this.eventsLost = eventsLost;
        this.highestSegmentId = highestSegmentId;
        this.queue = queue;
        this.lastCommitSeq = lastCommitSeq;
        this.maxTxId = maxTxId;
        this.segments = segments;
        this.problems = List.copyOf(problems);
        this.transactionsReplayed = transactionsReplayed;
        this.putsReplayed = putsReplayed;
        this.takesReplayed = takesReplayed;
        this.bytesDropped = bytesDropped;
        this.recordsDropped = recordsDropped;
        this.orphanTakes = orphanTakes;
        this.checkpointSource = checkpointSource;
        this.segmentEnds = Map.copyOf(segmentEnds);
    }
}
