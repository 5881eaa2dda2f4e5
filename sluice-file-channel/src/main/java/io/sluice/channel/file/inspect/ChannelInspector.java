package io.sluice.channel.file.inspect;

import io.sluice.api.Event;
import io.sluice.channel.file.log.Checkpoint;
import io.sluice.channel.file.log.LogFormat;
import io.sluice.channel.file.log.PointerQueue;
import io.sluice.channel.file.log.ReplayResult;
import io.sluice.channel.file.log.Replayer;
import io.sluice.channel.file.log.SegmentDirectory;
import io.sluice.channel.file.log.SegmentReader;
import io.sluice.channel.file.log.SegmentScanner;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a file channel's checkpoint and segments without changing anything (every file is opened
 * read-only, no lock file is created) and reports what a start would recover: format version,
 * events queued, the oldest and newest event, live bytes per segment and any corruption.
 *
 * <p>Stateless and thread-safe; each {@link #inspect} call works on its own.
 */
public final class ChannelInspector {
    private ChannelInspector() {
    }

    /**
     * @param verify read every record of every segment and check its checksum, and every live
     *               event's; otherwise only the records after the checkpoint are read, checking
     *               their lengths and types
     */
    public static InspectionReport inspect(Path checkpointDir, List<Path> dataDirs, boolean verify)
            throws IOException {
        return inspect(checkpointDir, dataDirs, verify, null);
    }

    /**
     * As {@link #inspect(Path, List, boolean)}, and when {@code deadLetters} is given, reads every
     * live event into it: the report then shows the channel's dead letters.
     */
    public static InspectionReport inspect(Path checkpointDir, List<Path> dataDirs, boolean verify,
            DeadLetterSummary deadLetters) throws IOException {
        List<String> corruption = new ArrayList<>();
        String checkpointText;
        String missing = null;
        Checkpoint cp = null;
        int version = LogFormat.VERSION;
        try {
            cp = Checkpoint.read(checkpointDir);
            if (cp.dirStarts().length != dataDirs.size()) {
                corruption.add("the checkpoint names " + cp.dirStarts().length + " data directories but "
                        + dataDirs.size() + " were given; replaying every segment instead");
                cp = null;
            }
        } catch (NoSuchFileException e) {
            missing = "no checkpoint in " + checkpointDir + "; counting from a full replay of every segment";
        } catch (IOException e) {
            corruption.add("checkpoint unusable: " + e.getMessage());
        }
        checkpointText = missing != null ? missing : cp == null ? "none usable; counting from a full replay of every segment"
                : checkpointDir.resolve(LogFormat.CHECKPOINT_FILE) + " (format version " + LogFormat.VERSION
                        + ", written " + Instant.ofEpochMilli(cp.createdMillis()) + ", " + cp.size()
                        + " events, up to commit " + cp.lastCommitSeq() + ")";
        Replayer replayer = new Replayer("[inspect]", false, verify);
        ReplayResult r = replayer.replay(cp, dataDirs, checkpointText);
        corruption.addAll(r.problems);
        TreeMap<Integer, Path> segments = SegmentDirectory.listAll(dataDirs);
        Map<Integer, SegmentReader> readers = new HashMap<>();
        Map<Integer, long[]> live = new HashMap<>();
        String oldest = null;
        String newest = null;
        try {
            PointerQueue q = r.queue;
            for (int i = 0; i < q.size(); i++) {
                long p = q.get(i);
                int seg = LogFormat.segmentOf(p);
                SegmentReader reader = reader(readers, segments, seg);
                long[] acc = live.computeIfAbsent(seg, k -> new long[2]);
                acc[0]++;
                if (reader == null) {
                    continue;
                }
                try {
                    acc[1] += reader.recordSize(LogFormat.offsetOf(p));
                    if (deadLetters != null) {
                        deadLetters.add("segment " + seg + " offset " + LogFormat.offsetOf(p),
                                reader.read(LogFormat.offsetOf(p)));
                    } else if (verify) {
                        reader.read(LogFormat.offsetOf(p));
                    }
                } catch (IOException e) {
                    corruption.add("live event at segment " + seg + " offset " + LogFormat.offsetOf(p) + ": "
                            + e.getMessage());
                }
            }
            for (Map.Entry<Integer, long[]> e : live.entrySet()) {
                if (!segments.containsKey(e.getKey())) {
                    corruption.add(e.getValue()[0] + " live events point into segment " + e.getKey()
                            + ", which is missing");
                }
            }
            if (q.size() > 0) {
                oldest = describe(readers, segments, q.get(0), corruption);
                newest = describe(readers, segments, q.get(q.size() - 1), corruption);
            }
        } finally {
            for (SegmentReader reader : readers.values()) {
                reader.close();
            }
        }
        if (verify) {
            for (Path seg : segments.values()) {
                String[] bad = scanAll(seg);
                if (bad != null && corruption.stream().noneMatch(c -> c.startsWith(bad[0]))) {
                    corruption.add(bad[0] + ": " + bad[1]);
                }
            }
        }
        List<InspectionReport.SegmentInfo> infos = new ArrayList<>();
        for (Map.Entry<Integer, Path> e : segments.entrySet()) {
            int segVersion;
            long size;
            try (SegmentScanner s = new SegmentScanner(e.getValue(), false)) {
                size = s.fileSize();
                segVersion = s.readHeader() ? s.version() : -1;
                if (segVersion != -1 && segVersion != LogFormat.VERSION) {
                    version = segVersion;
                }
            }
            long[] acc = live.getOrDefault(e.getKey(), new long[2]);
            infos.add(new InspectionReport.SegmentInfo(e.getValue(), e.getKey(), segVersion, size, acc[0], acc[1]));
        }
        return new InspectionReport(version, checkpointText, r.queue.size(), oldest, newest, infos, corruption, verify,
                deadLetters);
    }

    /**
     * Reads every record of {@code seg} with its checksum; returns the first problem as {where,
     * what}, or null. An empty segment (no more than a header) is not a problem: the writer leaves
     * one when the agent dies right after creating it, and recovery removes it.
     */
    private static String[] scanAll(Path seg) throws IOException {
        try (SegmentScanner s = new SegmentScanner(seg, true)) {
            if (s.fileSize() <= LogFormat.SEGMENT_HEADER_SIZE) {
                return null;
            }
            if (!s.readHeader()) {
                return new String[] {seg.toString(), s.problem()};
            }
            while (true) {
                SegmentScanner.Status st = s.next();
                if (st == SegmentScanner.Status.END) {
                    return null;
                }
                if (st == SegmentScanner.Status.CORRUPT) {
                    return new String[] {seg + " offset " + s.offset(), "damaged record of " + s.corruptLength()
                            + " bytes: " + s.problem() + " (the records around it are intact)"};
                }
                if (st == SegmentScanner.Status.BAD) {
                    return new String[] {seg + " offset " + s.offset(), s.problem() + " (" + (s.fileSize()
                            - s.offset()) + " bytes from here to the end of the file cannot be read)"};
                }
            }
        }
    }

    private static SegmentReader reader(Map<Integer, SegmentReader> readers, Map<Integer, Path> segments, int seg)
            throws IOException {
        SegmentReader r = readers.get(seg);
        if (r == null && segments.containsKey(seg)) {
            r = new SegmentReader(seg, segments.get(seg));
            readers.put(seg, r);
        }
        return r;
    }

    private static String describe(Map<Integer, SegmentReader> readers, Map<Integer, Path> segments, long p,
            List<String> corruption) {
        int seg = LogFormat.segmentOf(p);
        long off = LogFormat.offsetOf(p);
        String where = "segment " + seg + " offset " + off;
        try {
            SegmentReader r = reader(readers, segments, seg);
            if (r == null) {
                return where + " (segment missing)";
            }
            Event e = r.read(off);
            String body = e.bodyAsString();
            if (body.length() > 80) {
                body = body.substring(0, 80) + "...";
            }
            return where + ": headers " + e.headers() + ", body \"" + body.replace("\n", "\\n") + "\" ("
                    + e.bodyLength() + " bytes)";
        } catch (IOException e) {
            corruption.add(where + ": " + e.getMessage());
            return where + " (unreadable)";
        }
    }
}
