package io.sluice.core.source.taildir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * The {@code TAILDIR} source's position file, in Apache Flume's format so either can take over the
 * other's: a JSON array with one object per followed file,
 * {@code [{"inode":2359298,"pos":1024,"file":"/var/log/app/app.log"}]}, where {@code pos} is the
 * byte offset after the last committed line. Apache Flume's reader fails on any other field, so
 * the fingerprints Sluice keeps go to a sidecar file {@code <positionFile>.fingerprints}:
 * {@code {"version":1,"files":[{"inode":2359298,"length":256,"crc32c":3735928559}]}}. The sidecar
 * is written before the position file; a missing sidecar (a position file written by Apache Flume)
 * means "trust the inode", as Apache Flume does. The sidecar also keeps, for each followed file
 * seen empty with nothing read, what its directory held then ({@link FileTracker}'s notes for
 * finding the copy of a copytruncate), so that a restart still finds that copy:
 * {@code "seenEmpty":[{"inode":2359299,"among":[{"inode":2359298,"length":256,"crc32c":3735928559},
 * {"inode":2359300}]}]}, an entry without {@code length} standing for a file noted without first
 * bytes. Sluice versions that predate the field ignore it.
 *
 * <p>Both files are replaced atomically (temp file, rename), so a reader sees the old or the new
 * content, never a torn one, at start, at stop and every {@code writePosInterval}
 * ({@link #checkpoint}). Between two checkpoints each committed batch is recorded by
 * {@link #record} in the {@link PositionJournal}, which {@link #read} replays over the JSON file
 * as long as that JSON file is the one Sluice wrote.
 *
 * <p>Not thread-safe: the source's runner thread uses it while no reader runs, and its reader
 * threads record their files' positions one at a time, under this object's lock.
 */
final class PositionFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FINGERPRINT_SUFFIX = ".fingerprints";
    private static final int SIDECAR_VERSION = 1;

    /**
     * One entry of the position file. Immutable.
     *
     * @param inode       the file's inode
     * @param pos         the byte offset after the last committed line
     * @param file        the file's path when the entry was written
     * @param fingerprint its fingerprint from the sidecar, null when unknown
     * @param seenEmptyAmong for a file seen empty with nothing read, the files of its directory
     *     then: inode to first bytes (null for a file noted without them), see {@link FileTracker};
     *     null otherwise. Unmodifiable.
     */
    record Entry(long inode, long pos, Path file, Fingerprint fingerprint, Map<Long, Fingerprint> seenEmptyAmong) {
        Entry {
            requireNonNull(file, "file is null");
            // values may be null, which Map.copyOf refuses
            seenEmptyAmong = seenEmptyAmong == null ? null : Collections.unmodifiableMap(new HashMap<>(seenEmptyAmong));
        }

        /** An entry without notes. */
        Entry(long inode, long pos, Path file, Fingerprint fingerprint) {
            this(inode, pos, file, fingerprint, null);
        }
    }

    private final Path path;
    private final Path sidecar;
    private final PositionJournal journal;
    private String lastSidecar = "";
    private Map<Long, Entry> recorded = new HashMap<>();

    PositionFile(Path path) {
        this.path = requireNonNull(path, "path is null");
        this.sidecar = path.resolveSibling(path.getFileName() + FINGERPRINT_SUFFIX);
        this.journal = new PositionJournal(path);
    }

    Path path() {
        return path;
    }

    /** The entries, empty when the file does not exist yet. */
    List<Entry> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        Optional<List<Entry>> journaled = journal.read(crc(bytes));
        if (journaled.isPresent()) {
            return journaled.get();
        }
        Map<Long, Fingerprint> fingerprints = new HashMap<>();
        Map<Long, Map<Long, Fingerprint>> notes = new HashMap<>();
        readSidecar(fingerprints, notes);
        List<Entry> out = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw unreadable("it is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || root.isMissingNode()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw unreadable("it is not a JSON array");
        }
        for (JsonNode n : root) {
            JsonNode inode = n.get("inode");
            JsonNode pos = n.get("pos");
            JsonNode file = n.get("file");
            if (inode == null || !inode.canConvertToLong() || pos == null || !pos.canConvertToLong() || pos.asLong() < 0
                    || file == null || !file.isTextual()) {
                throw unreadable("the entry " + n + " lacks a numeric inode, a position >= 0 or a file name");
            }
            out.add(new Entry(inode.asLong(), pos.asLong(), Path.of(file.asText()), fingerprints.get(inode.asLong()),
                    notes.get(inode.asLong())));
        }
        return out;
    }

    /** Reads the fingerprints and the notes of files seen empty from the sidecar, when there is one. */
    private void readSidecar(Map<Long, Fingerprint> out, Map<Long, Map<Long, Fingerprint>> notes) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(sidecar);
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            int version = root.path("version").asInt(-1);
            if (version != SIDECAR_VERSION) {
                throw unreadableSidecar("its version is " + root.path("version") + ", this Sluice reads version "
                        + SIDECAR_VERSION);
            }
            for (JsonNode n : root.path("files")) {
                out.put(n.path("inode").asLong(), new Fingerprint(n.path("length").asInt(), n.path("crc32c").asLong()));
            }
            for (JsonNode n : root.path("seenEmpty")) {
                if (!n.path("inode").canConvertToLong() || !n.path("among").isArray()) {
                    throw unreadableSidecar("the seenEmpty entry " + n + " lacks a numeric inode or an among list");
                }
                Map<Long, Fingerprint> among = new HashMap<>();
                for (JsonNode a : n.path("among")) {
                    if (!a.path("inode").canConvertToLong()) {
                        throw unreadableSidecar("the seenEmpty entry " + n + " notes a file without a numeric inode");
                    }
                    among.put(a.path("inode").asLong(), a.has("length")
                            ? new Fingerprint(a.path("length").asInt(), a.path("crc32c").asLong()) : null);
                }
                notes.put(n.path("inode").asLong(), among);
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw unreadableSidecar(e.getMessage());
        }
    }

    private IOException unreadable(String why) {
        return new IOException("position file " + path + " is unreadable: " + why + ". Fix or delete it; without it"
                + " every file is read again from its start (or its end with skipToEnd = true)");
    }

    private IOException unreadableSidecar(String why) {
        return new IOException("fingerprint file " + sidecar + " is unreadable: " + why + ". Delete it; the positions"
                + " in " + path + " are then trusted by inode alone");
    }

    /**
     * Rewrites the fingerprint file, the JSON position file and a fresh journal with
     * {@code entries}; with {@code sync} also forces them and the directory to disk. Done at start,
     * at stop and every {@code writePosInterval}.
     */
    void checkpoint(List<Entry> entries, boolean sync) throws IOException {
        ArrayNode fps = JSON.createArrayNode();
        ArrayNode seenEmpty = JSON.createArrayNode();
        ArrayNode positions = JSON.createArrayNode();
        for (Entry e : entries) {
            ObjectNode p = positions.addObject();
            p.put("inode", e.inode());
            p.put("pos", e.pos());
            p.put("file", e.file().toString());
            if (e.fingerprint() != null) {
                fps.addObject().put("inode", e.inode()).put("length", e.fingerprint().length())
                        .put("crc32c", e.fingerprint().crc());
            }
            if (e.seenEmptyAmong() != null) {
                ObjectNode n = seenEmpty.addObject().put("inode", e.inode());
                ArrayNode among = n.putArray("among");
                for (Map.Entry<Long, Fingerprint> a : e.seenEmptyAmong().entrySet()) {
                    ObjectNode o = among.addObject().put("inode", a.getKey());
                    if (a.getValue() != null) {
                        o.put("length", a.getValue().length()).put("crc32c", a.getValue().crc());
                    }
                }
            }
        }
        ObjectNode side = JSON.createObjectNode();
        side.put("version", SIDECAR_VERSION);
        side.set("files", fps);
        if (!seenEmpty.isEmpty()) {
            side.set("seenEmpty", seenEmpty);
        }
        String sideText = JSON.writeValueAsString(side);
        if (sync || !sideText.equals(lastSidecar)) {
            replace(sidecar, sideText.getBytes(StandardCharsets.UTF_8), sync);
            lastSidecar = sideText;
        }
        byte[] json = JSON.writeValueAsBytes(positions);
        replace(path, json, sync);
        journal.snapshot(entries, crc(json), sync);
        if (sync) {
            try (FileChannel d = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
        }
        recorded = index(entries);
    }

    /** Records what changed since the last call (or checkpoint) in the journal: one small append. */
    void record(List<Entry> entries) throws IOException {
        Map<Long, Entry> now = index(entries);
        if (now.equals(recorded)) {
            return;
        }
        List<Entry> changed = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.equals(recorded.get(e.inode()))) {
                changed.add(e);
            }
        }
        List<Long> removed = new ArrayList<>();
        for (Long inode : recorded.keySet()) {
            if (!now.containsKey(inode)) {
                removed.add(inode);
            }
        }
        journal.append(changed, removed);
        recorded = now;
    }

    /**
     * Records {@code changed}, the new entry of one file, when every other entry is as last
     * recorded (the source committing one file's batches one after another): one small append,
     * without building and comparing the other files' entries. Returns false, recording nothing,
     * when the file is not recorded yet; then {@link #record(List)} is the call to make.
     */
    boolean record(Entry changed) throws IOException {
        Entry was = recorded.get(changed.inode());
        if (was == null) {
            return false;
        }
        if (!was.equals(changed)) {
            journal.append(List.of(changed), List.of());
            recorded.put(changed.inode(), changed);
        }
        return true;
    }

    void close() throws IOException {
        journal.close();
    }

    private static Map<Long, Entry> index(List<Entry> entries) {
        Map<Long, Entry> m = new HashMap<>();
        for (Entry e : entries) {
            m.put(e.inode(), e);
        }
        return m;
    }

    private static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    private static void replace(Path target, byte[] content, boolean sync) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
