package io.sluice.core.source.spooldir;

import io.sluice.api.Event;
import io.sluice.core.source.support.RejectedInput;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Reads the spool directory file by file: picks the next file by {@code consumeOrder}, hands out
 * its events in batches (with the starts of long lines set aside for the dead-letter channel,
 * committed by {@link #keepLetters()}), and on {@link #commit()} persists how far the batch reached; on
 * {@link #rollback()} the next read starts again after the last commit. At the end of a file it
 * checks that the file did not change since pickup and marks it done (rename, tracker-directory
 * marker or delete). After a restart the file named in the position record is read first, from
 * the recorded position.
 *
 * <p>Not thread-safe: one worker thread of the source uses it.
 */
final class SpoolReader implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolReader.class);

    private final SpoolSettings settings;
    private final LongAdder splits;
    private final String label;
    private final PositionFile positionFile;
    private final RejectedInput rejected;
    private OpenFile current;
    private boolean uncommitted;
    /** The starts of the long lines of the last read, for the dead-letter channel. */
    private final List<RejectedInput.Input> letters = new ArrayList<>();
    /** The dead-letter channel's marker owner when it keeps markers, else null. */
    private final String lettersOwner;
    /**
     * How far the letters are in the dead-letter channel: the end of the last batch whose letters
     * were committed (from the channel's marker after a restart); null when unknown.
     */
    private PositionFile.Position lettersIn;

    /** The file being read, its deserializer and what it looked like at pickup. */
    private static final class OpenFile {
        final Path file;
        final SpoolDeserializer deserializer;
        final long size;
        final long lastModified;
        final Map<String, String> headers;
        SpoolDeserializer.Mark committed;

        OpenFile(Path file, SpoolDeserializer deserializer, long size, long lastModified,
                Map<String, String> headers, SpoolDeserializer.Mark committed) {
            this.file = file;
            this.deserializer = deserializer;
            this.size = size;
            this.lastModified = lastModified;
            this.headers = headers;
            this.committed = committed;
        }
    }

    SpoolReader(SpoolSettings settings, LongAdder splits, String label) throws IOException {
        this(settings, splits, label, null);
    }

    /** @param rejected where lines over the limit go; null (or without a channel) splits them */
    SpoolReader(SpoolSettings settings, LongAdder splits, String label, RejectedInput rejected) throws IOException {
        this.rejected = rejected;
        this.settings = requireNonNull(settings, "settings is null");
        this.splits = requireNonNull(splits, "splits is null");
        this.label = requireNonNull(label, "label is null");
        Path dir = settings.spoolDir();
        if (!Files.isDirectory(dir)) {
            throw new IOException("spoolDir " + dir + " is not a directory; create it or fix spoolDir");
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir)) {
            throw new IOException("spoolDir " + dir + " must be readable and writable by this agent;"
                    + " fix its permissions");
        }
        Files.createDirectories(settings.trackerDir());
        this.positionFile = new PositionFile(settings.trackerDir());
        this.lettersOwner = rejected != null && rejected.keepsMarkers() ? lettersOwner(settings.trackerDir()) : null;
        if (lettersOwner != null) {
            Optional<byte[]> in = rejected.committedMarker(lettersOwner);
            if (in.isPresent()) {
                try {
                    lettersIn = SpoolMarker.decode(in.get());
                } catch (IllegalArgumentException e) {
                    throw new IOException("the letters' position committed in the dead-letter channel is unreadable: "
                            + e.getMessage() + ". This happens when a newer Sluice wrote it; run that version", e);
                }
            }
        }
    }

    /** The name of this source's marker in its dead-letter channel (which other components may share). */
    static String lettersOwner(Path trackerDir) {
        return "spooldir-letters:" + trackerDir.toAbsolutePath().normalize().resolve(PositionFile.FILE_NAME);
    }

    /**
     * The next batch of up to {@code batchSize} events, or an empty list when no file has more.
     * After an uncommitted read, the same events are read again.
     */
    List<Event> read() throws IOException {
        if (uncommitted && current != null) {
            current.deserializer.reset(current.committed);
        }
        uncommitted = false;
        letters.clear();
        if (current == null) {
            current = openNext();
            if (current == null) {
                return List.of();
            }
        }
        List<Event> events = current.deserializer.readEvents(settings.batchSize(), current.headers);
        while (events.isEmpty() && letters.isEmpty()) {
            retire();
            current = openNext();
            if (current == null) {
                return List.of();
            }
            events = current.deserializer.readEvents(settings.batchSize(), current.headers);
        }
        uncommitted = true;
        return events;
    }

    /**
     * Where the events of the last {@link #read()} end, as {@link #commit()} will record it; for a
     * channel that commits it with the events (see {@link SpoolMarker}).
     *
     * @throws IllegalStateException when no read is waiting for its commit
     */
    PositionFile.Position pendingPosition() {
        if (!uncommitted || current == null) {
            throw new IllegalStateException("no batch read since the last commit or rollback");
        }
        return new PositionFile.Position(current.file, current.deserializer.mark(), current.size,
                current.lastModified);
    }

    /**
     * Before the first read: takes the position a channel committed with this source's last batch
     * into account. When it is further than the position file (a crash came between the channel's
     * commit and the position file's record), it is written to the position file and reading
     * resumes from it; see {@link SpoolMarker#newer} for the rule.
     *
     * @return true when the marker's position was taken
     */
    boolean resumeFromMarker(PositionFile.Position marker) throws IOException {
        if (current != null) {
            throw new IllegalStateException("resumeFromMarker() after reading began");
        }
        Optional<PositionFile.Position> fromFile = positionFile.read();
        Optional<PositionFile.Position> chosen = SpoolMarker.newer(fromFile, Optional.of(marker), this::stillToRead);
        if (chosen.isEmpty() || chosen.equals(fromFile)) {
            return false;
        }
        positionFile.write(chosen.get());
        LOG.info("[{}] the channel holds a batch of {} committed after the position file's record; resuming at"
                + " byte {} (+{} records), after that batch", label, marker.file(), marker.mark().offset(),
                marker.mark().skip());
        return true;
    }

    private boolean stillToRead(PositionFile.Position p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p.file(), BasicFileAttributes.class);
            return a.isRegularFile() && a.size() == p.size() && a.lastModifiedTime().toMillis() == p.lastModified()
                    && isCandidate(p.file());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The starts of the lines over {@code deserializer.maxLineLength} the last {@link #read()} set
     * aside (an empty batch of events may come with some), less those a dead-letter channel already
     * holds from before a crash. Each is kept by {@link #keepLetters()}.
     */
    List<RejectedInput.Input> letters() {
        return letters;
    }

    /**
     * Commits the letters of the last {@link #read()} to the dead-letter channel, with the end of
     * the batch as this source's marker there when that channel keeps markers. Called after the
     * read and before the batch is committed to the channels: after a crash before the batch's
     * commit, the batch is read again and its letters, which the marker says are in, are not put
     * again; after a crash before this, they are put at the next read. So each is kept once.
     *
     * @return false when the dead-letter channel refused them (nothing of them is in it): the batch
     *     must be rolled back and read again later
     */
    boolean keepLetters() {
        if (letters.isEmpty()) {
            return true;
        }
        PositionFile.Position end = pendingPosition();
        boolean kept = lettersOwner == null ? rejected.keepAll(letters)
                : rejected.keepAll(letters, lettersOwner, SpoolMarker.encode(end));
        if (kept) {
            lettersIn = end;
            letters.clear();
        }
        return kept;
    }

    /**
     * Whether the dead-letter channel holds the letter of the long line being read already: a
     * letter of the batch whose letters were committed last (the line's cut at {@code offset} lies
     * before that batch's end), read again after a rollback or a crash.
     */
    private boolean letterIn(Path file, long size, long lastModified, long offset) {
        PositionFile.Position in = lettersIn;
        return in != null && in.file().equals(file) && in.size() == size && in.lastModified() == lastModified
                && offset <= in.mark().offset();
    }

    /** The events of the last {@link #read()} are in the channels: persist how far they reach. */
    void commit() throws IOException {
        if (!uncommitted || current == null) {
            return;
        }
        SpoolDeserializer.Mark mark = current.deserializer.mark();
        positionFile.write(new PositionFile.Position(current.file, mark, current.size, current.lastModified));
        current.committed = mark;
        uncommitted = false;
    }

    /** The events of the last {@link #read()} were refused: the next read returns them again. */
    void rollback() {
        // the reset happens lazily in read(), where an IOException can be reported
    }

    /** The file being read, or null. */
    Path currentFile() {
        return current == null ? null : current.file;
    }

    @Override
    public void close() throws IOException {
        try {
            positionFile.sync();
        } finally {
            if (current != null) {
                current.deserializer.close();
                current = null;
            }
        }
    }

    private void retire() throws IOException {
        OpenFile f = current;
        current = null;
        f.deserializer.close();
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(f.file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SpoolingException("File " + f.file + " was removed while being read; every file in spoolDir"
                    + " must stay unchanged until Sluice has marked it done. Restart the agent to continue");
        }
        if (now.lastModifiedTime().toMillis() != f.lastModified) {
            throw new SpoolingException("File has been modified since being read: " + f.file + ". Files in spoolDir"
                    + " must be complete and unchanged once they are placed there (write elsewhere, then move them"
                    + " in); restart the agent to continue with the other files");
        }
        if (now.size() != f.size) {
            throw new SpoolingException("File has changed size since being read: " + f.file + " (" + f.size
                    + " bytes at pickup, " + now.size() + " now). Files in spoolDir must be complete and unchanged"
                    + " once they are placed there (write elsewhere, then move them in); restart the agent to"
                    + " continue with the other files");
        }
        if (settings.deleteImmediately()) {
            Files.deleteIfExists(f.file);
            LOG.info("[{}] finished and deleted {}", label, f.file);
        } else if (settings.trackInTrackerDir()) {
            Path marker = markerOf(f.file);
            Files.createDirectories(marker.getParent());
            try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            LOG.info("[{}] finished {}; recorded as {}", label, f.file, marker);
        } else {
            Path dest = f.file.resolveSibling(f.file.getFileName() + settings.fileSuffix());
            if (Files.exists(dest)) {
                throw new SpoolingException("File name has been re-used with different files: " + dest
                        + " already exists, so " + f.file + " cannot be marked done. Each file placed in spoolDir"
                        + " needs a name never used before; move one of them away and restart the agent");
            }
            Files.move(f.file, dest, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("[{}] finished {}; renamed to {}", label, f.file, dest.getFileName());
        }
        positionFile.clear();
    }

    private Path markerOf(Path file) {
        Path relative = settings.spoolDir().relativize(file);
        return settings.trackerDir().resolve(relative.toString() + settings.fileSuffix());
    }

    private OpenFile openNext() throws IOException {
        Optional<PositionFile.Position> saved = positionFile.read();
        if (saved.isPresent()) {
            PositionFile.Position p = saved.get();
            if (Files.isRegularFile(p.file()) && isCandidate(p.file())) {
                LOG.info("[{}] resuming {} at byte {} (+{} records) after the last committed batch", label,
                        p.file(), p.mark().offset(), p.mark().skip());
                OpenFile f = open(p.file(), p.size(), p.lastModified(), p.mark());
                f.deserializer.reset(p.mark());
                return f;
            }
            positionFile.clear();
        }
        List<Candidate> candidates = listCandidates();
        while (!candidates.isEmpty()) {
            Candidate next = switch (settings.consumeOrder()) {
                case OLDEST -> candidates.stream().min(Candidate.ORDER).orElseThrow();
                case YOUNGEST -> candidates.stream().min(Candidate.ORDER_YOUNGEST).orElseThrow();
                case RANDOM -> candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
            };
            try {
                return open(next.file, next.size, next.lastModified, SpoolDeserializer.Mark.START);
            } catch (NoSuchFileException e) {
                LOG.warn("[{}] {} disappeared before it could be read; skipped", label, next.file);
                candidates.remove(next);
            }
        }
        return null;
    }

    private OpenFile open(Path file, long size, long lastModified, SpoolDeserializer.Mark committed)
            throws IOException {
        SpoolDeserializer d = switch (settings.deserializer()) {
            case LINE -> {
                DecodingReader lines = new DecodingReader(file, settings.inputCharset(), settings.decodeErrorPolicy());
                yield new LineDeserializer(lines, settings.maxLineLength(), settings.outputCharset(), splits, label,
                        (start, headers, reason) -> {
                            if (rejected == null || !rejected.keeps()) {
                                return false;
                            }
                            if (!letterIn(file, size, lastModified, lines.position())) {
                                letters.add(new RejectedInput.Input(start, headers, reason + " (file " + file + ")"));
                            }
                            return true;
                        });
            }
            case BLOB -> new BlobDeserializer(file, settings.maxBlobLength(), splits);
            case AVRO -> new AvroContainerDeserializer(file, settings.schemaType());
            case PLUGIN -> settings.plugin().open(file,
                    new DecodingReader(file, settings.inputCharset(), settings.decodeErrorPolicy()));
        };
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.fileHeaderKey() != null) {
            headers.put(settings.fileHeaderKey(), file.toAbsolutePath().toString());
        }
        if (settings.basenameHeaderKey() != null) {
            headers.put(settings.basenameHeaderKey(), file.getFileName().toString());
        }
        LOG.debug("[{}] reading {}", label, file);
        return new OpenFile(file, d, size, lastModified, Map.copyOf(headers), committed);
    }

    /** A file that may be read next, with its size and time at listing. */
    private record Candidate(Path file, long size, long lastModified) {
        static final Comparator<Candidate> ORDER = Comparator.comparingLong(Candidate::lastModified)
                .thenComparing(c -> c.file.toString());
        static final Comparator<Candidate> ORDER_YOUNGEST = Comparator.comparingLong(
                (Candidate c) -> -c.lastModified).thenComparing(c -> c.file.toString());
    }

    private boolean isCandidate(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") || file.startsWith(settings.trackerDir())) {
            return false;
        }
        if (!settings.trackInTrackerDir() && name.endsWith(settings.fileSuffix())) {
            return false;
        }
        if (!settings.includePattern().matcher(name).matches() || settings.ignorePattern().matcher(name).matches()) {
            return false;
        }
        return !settings.trackInTrackerDir() || !Files.exists(markerOf(file));
    }

    private List<Candidate> listCandidates() throws IOException {
        List<Candidate> out = new ArrayList<>();
        Path root = settings.spoolDir();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = dir.getFileName().toString();
                if (!settings.recursive() || name.startsWith(".") || dir.equals(settings.trackerDir())
                        || settings.ignorePattern().matcher(name).matches()) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isCandidate(file)) {
                    out.add(new Candidate(file, attrs.size(), attrs.lastModifiedTime().toMillis()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!(e instanceof NoSuchFileException)) {
                    LOG.warn("[{}] cannot look at {}: {}", label, file, e.toString());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }
}
