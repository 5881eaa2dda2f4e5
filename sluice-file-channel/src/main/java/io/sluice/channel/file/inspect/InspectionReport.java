package io.sluice.channel.file.inspect;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What {@link ChannelInspector} found in a file channel's directories. Immutable.
 */
public final class InspectionReport {

    /** One segment file and how much of it is still live. Immutable. */
    public static final class SegmentInfo {
        private final Path path;
        private final int id;
        private final int formatVersion;
        private final long fileBytes;
        private final long liveEvents;
        private final long liveBytes;

        public SegmentInfo(Path path, int id, int formatVersion, long fileBytes, long liveEvents, long liveBytes) {
            this.path = requireNonNull(path, "path is null");
            this.id = id;
            this.formatVersion = formatVersion;
            this.fileBytes = fileBytes;
            this.liveEvents = liveEvents;
            this.liveBytes = liveBytes;
        }

        public Path path() {
            return path;
        }

        public int id() {
            return id;
        }

        /** The version in the segment header, or -1 when the header is unreadable. */
        public int formatVersion() {
            return formatVersion;
        }

        public long fileBytes() {
            return fileBytes;
        }

        public long liveEvents() {
            return liveEvents;
        }

        public long liveBytes() {
            return liveBytes;
        }
    }

    private final int formatVersion;
    private final String checkpoint;
    private final long eventsQueued;
    private final String oldestEvent;
    private final String newestEvent;
    private final List<SegmentInfo> segments;
    private final List<String> corruption;
    private final boolean verified;
    private final DeadLetterSummary deadLetters;

    public InspectionReport(int formatVersion, String checkpoint, long eventsQueued, String oldestEvent,
            String newestEvent, List<SegmentInfo> segments, List<String> corruption, boolean verified) {
        this(formatVersion, checkpoint, eventsQueued, oldestEvent, newestEvent, segments, corruption, verified, null);
    }

    /** @param deadLetters the dead letters among the live events, or null when they were not read */
    public InspectionReport(int formatVersion, String checkpoint, long eventsQueued, String oldestEvent,
            String newestEvent, List<SegmentInfo> segments, List<String> corruption, boolean verified,
            DeadLetterSummary deadLetters) {
        this.deadLetters = deadLetters;
        this.formatVersion = formatVersion;
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
        this.eventsQueued = eventsQueued;
        this.oldestEvent = oldestEvent;
        this.newestEvent = newestEvent;
        this.segments = List.copyOf(segments);
        this.corruption = List.copyOf(corruption);
        this.verified = verified;
    }

    public int formatVersion() {
        return formatVersion;
    }

    /** A description of the checkpoint used (file, time, size) or why none was usable. */
    public String checkpoint() {
        return checkpoint;
    }

    public long eventsQueued() {
        return eventsQueued;
    }

    /** The event at the head, described, or null when the channel is empty. */
    public String oldestEvent() {
        return oldestEvent;
    }

    public String newestEvent() {
        return newestEvent;
    }

    public List<SegmentInfo> segments() {
        return segments;
    }

    /** Every problem found; empty when the files are sound. */
    public List<String> corruption() {
        return corruption;
    }

    public boolean verified() {
        return verified;
    }

    /** The dead letters among the live events, or null when they were not asked for. */
    public DeadLetterSummary deadLetters() {
        return deadLetters;
    }

    /** The human-readable report printed by {@code sluice channel inspect}. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("format version: ").append(formatVersion).append('\n');
        sb.append("checkpoint: ").append(checkpoint).append('\n');
        sb.append("events queued: ").append(eventsQueued).append('\n');
        sb.append("oldest event: ").append(oldestEvent == null ? "(none)" : oldestEvent).append('\n');
        sb.append("newest event: ").append(newestEvent == null ? "(none)" : newestEvent).append('\n');
        sb.append("segments: ").append(segments.size()).append('\n');
        for (SegmentInfo s : segments) {
            double pct = s.fileBytes == 0 ? 0 : s.liveBytes * 100.0 / s.fileBytes;
            sb.append(String.format(Locale.ROOT, "  %s  version %d, %d bytes, %d live events, %d live bytes"
                    + " (%.1f%%)%n", s.path, s.formatVersion, s.fileBytes, s.liveEvents, s.liveBytes, pct));
        }
        sb.append("checksums: ").append(verified ? "every record checked" : "not checked (use --verify)").append('\n');
        if (corruption.isEmpty()) {
            sb.append("corruption: none found\n");
        } else {
            sb.append("corruption: ").append(corruption.size()).append(" problem(s)\n");
            for (String c : corruption) {
                sb.append("  ").append(c).append('\n');
            }
        }
        if (deadLetters != null) {
            deadLetters.render(sb);
        }
        return sb.toString();
    }
}
