package io.sluice.core.source.taildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Which files the source follows and from where, across rotation. Files are keyed by inode; a
 * fingerprint of their first bytes tells a reused inode or a file truncated and written again from
 * the same file.
 * <ul>
 * <li><b>Rename and create</b>: a followed file renamed to a name the group does not match stays
 *     followed through its open channel until it is read to its end and no longer grows; after a
 *     restart it is found again by inode in its directory. Renamed again meanwhile (app.log.1 to
 *     app.log.2, its former name maybe given to a new file), it is named where it is now in its
 *     lines' file header and the position file.</li>
 * <li><b>Copytruncate</b>: when a followed file shrinks or its first bytes change, the lines after
 *     its committed position are read from the copy (a file of the directory whose first bytes
 *     match the old fingerprint), then the file is read again from its start. A copy that the group
 *     matches too is held back (not read) while its original is intact.</li>
 * <li><b>Copytruncate of a file seen empty</b>: a file seen empty (just created) that is written
 *     and copy-truncated before the next look shows neither a smaller size nor other first bytes.
 *     So when a followed file is first seen empty the files of its directory are noted by inode,
 *     with the first bytes of those named as its rotation; the notes are kept while it stays empty
 *     (a look that sees it empty again after such a truncation must not take the copy for an old
 *     file). When it first has content, a file of the directory named as its rotation whose inode
 *     was not noted, or now holds other first bytes (a copy written over an existing file, or into
 *     the inode of a deleted one), is its copy if it is not followed, not a compressed archive and
 *     does not start with the first bytes of a followed file; it is read from its start. Its name
 *     does not matter: it may be the name a followed older generation had at the first look. When
 *     several files qualify none is read, with a warning naming them. The notes are part of the
 *     file's position entry ({@link PositionFile.Entry#seenEmptyAmong}), recorded with the positions
 *     right after the look that took them, so a restart, even after a {@code kill -9}, still finds
 *     the copy.</li>
 * </ul>
 *
 * <p>Used by the source's runner thread, except {@link #intact} and {@link #entries}, which the
 * source's reader threads call for the files they read while the runner waits for them (no look at
 * the groups runs then): what those two touch beyond the one file is guarded by this tracker's lock.
 */
final class FileTracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileTracker.class);

    private final String label;
    private final List<FileGroup> groups;
    private final long idleTimeoutMillis;
    /** Followed files by inode, in discovery order. */
    private final Map<Long, TailedFile> files = new LinkedHashMap<>();

    FileTracker(String label, List<FileGroup> groups, long idleTimeoutMillis) {
        this.label = requireNonNull(label, "label is null");
        this.groups = List.copyOf(groups);
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /** The followed files: those renamed away first (they are older), then the matched ones. */
    List<TailedFile> files() {
        List<TailedFile> out = new ArrayList<>(files.size());
        for (TailedFile f : files.values()) {
            if (!f.matched()) {
                out.add(f);
            }
        }
        for (TailedFile f : files.values()) {
            if (f.matched()) {
                out.add(f);
            }
        }
        return out;
    }

    /** The positions to record. */
    synchronized List<PositionFile.Entry> entries() {
        List<PositionFile.Entry> out = new ArrayList<>(files.size());
        for (TailedFile f : files.values()) {
            out.add(entry(f));
        }
        return out;
    }

    /** The position of {@code f} to record. */
    static PositionFile.Entry entry(TailedFile f) {
        return new PositionFile.Entry(f.inode(), f.committed(), f.path().toAbsolutePath(), f.fingerprint(),
                f.seenEmptyAmong());
    }

    /**
     * First look at the directories: takes the recorded positions over (checking each file's
     * fingerprint when one was recorded), and starts files the record does not know at their start
     * or, with {@code skipToEnd}, at their end.
     */
    void start(List<PositionFile.Entry> recorded, boolean skipToEnd, long nowMillis) throws IOException {
        Map<Long, Path> matching = new LinkedHashMap<>();
        Map<Long, FileGroup> groupOf = new LinkedHashMap<>();
        for (FileGroup g : groups) {
            for (Path p : g.matchingFiles(nowMillis)) {
                Long ino = inode(p);
                if (ino != null && !matching.containsKey(ino)) {
                    matching.put(ino, p);
                    groupOf.put(ino, g);
                }
            }
        }
        for (PositionFile.Entry e : recorded) {
            Path path = matching.get(e.inode());
            FileGroup group = groupOf.get(e.inode());
            boolean matched = path != null;
            if (!matched) {
                path = findByInode(e.file(), e.inode());
                group = path == null ? null : groupByDirectory(path.getParent());
                if (group == null) {
                    LOG.info("[{}] {} (inode {}) is gone; forgetting its position {}", label, e.file(), e.inode(),
                            e.pos());
                    continue;
                }
            }
            TailedFile f = new TailedFile(path, e.inode(), group, e.pos(), nowMillis);
            f.matched(matched);
            f.fingerprint(e.fingerprint());
            if (e.seenEmptyAmong() != null && e.fingerprint() == null && e.pos() == 0) {
                // seen empty before the restart: what its directory held then tells its copy if it was
                // written and copy-truncated while the agent was down
                f.seenEmptyAmong(new HashMap<>(e.seenEmptyAmong()));
            }
            files.put(e.inode(), f);
            LOG.info("[{}] resuming {} at {}", label, path, e.pos());
        }
        for (Map.Entry<Long, Path> m : matching.entrySet()) {
            if (!files.containsKey(m.getKey())) {
                long start = skipToEnd ? Files.size(m.getValue()) : 0;
                discover(m.getValue(), m.getKey(), groupOf.get(m.getKey()), start, nowMillis);
            }
        }
        for (TailedFile f : List.copyOf(files.values())) {
            check(f, nowMillis, true);
        }
    }

    /** Looks at the directories again: new files, renamed files, truncated files, copies. */
    void refresh(long nowMillis) throws IOException {
        Set<Long> seen = new HashSet<>();
        for (FileGroup g : groups) {
            for (Path p : g.matchingFiles(nowMillis)) {
                Long ino = inode(p);
                if (ino == null || !seen.add(ino)) {
                    continue;
                }
                TailedFile f = files.get(ino);
                if (f == null) {
                    discover(p, ino, g, 0, nowMillis);
                } else {
                    if (!f.path().equals(p)) {
                        LOG.debug("[{}] {} was renamed to {}", label, f.path(), p);
                        f.path(p);
                    }
                    f.matched(true);
                }
            }
        }
        for (TailedFile f : files.values()) {
            if (!seen.contains(f.inode()) && f.matched()) {
                f.matched(false);
                // idle or not before, a file just rotated away has idleTimeout from now on to be finished: the
                // application may write its last lines through its descriptor before it reopens its log
                f.grew(nowMillis);
                Path moved = findByInode(f.path(), f.inode());
                if (moved != null) {
                    f.path(moved);
                }
                LOG.debug("[{}] {} (inode {}) no longer matches its group; reading it to its end", label, f.path(),
                        f.inode());
            }
        }
        for (TailedFile f : List.copyOf(files.values())) {
            if (files.containsKey(f.inode())) {
                check(f, nowMillis, false);
            }
        }
    }

    private void discover(Path path, long inode, FileGroup group, long start, long nowMillis) throws IOException {
        TailedFile f = new TailedFile(path, inode, group, start, nowMillis);
        try {
            f.fingerprint(Fingerprint.of(f.open()));
        } catch (NoSuchFileException e) {
            return;
        }
        files.put(inode, f);
        noteIfEmpty(f, f.size());
        TailedFile original = f.fingerprint() == null ? null : originalOf(f);
        if (original != null) {
            f.copyOf(original);
            f.resetTo(Math.min(original.committed(), f.size()));
            LOG.info("[{}] {} is a copy of {}; it is read only if that file is truncated", label, path,
                    original.path());
        } else {
            LOG.info("[{}] following {} (inode {}) from {}", label, path, inode, start);
        }
    }

    /** The followed file {@code copy} is a copy of: same first bytes and same bytes before the copy's end. */
    private TailedFile originalOf(TailedFile copy) throws IOException {
        for (TailedFile t : files.values()) {
            if (t == copy || t.fingerprint() == null || t.copyOf() != null) {
                continue;
            }
            FileChannel c = copy.open();
            if (t.fingerprint().matches(c) && sameBytesBefore(t.open(), c, Math.min(t.size(), c.size()))) {
                return t;
            }
        }
        return null;
    }

    private static boolean sameBytesBefore(FileChannel a, FileChannel b, long end) throws IOException {
        int n = (int) Math.min(end, Fingerprint.MAX_BYTES);
        ByteBuffer x = ByteBuffer.allocate(n);
        ByteBuffer y = ByteBuffer.allocate(n);
        a.read(x, end - n);
        b.read(y, end - n);
        return x.position() == n && y.position() == n && Arrays.equals(x.array(), y.array());
    }

    /**
     * Checks one file for truncation, rewritten content, growth, idleness and the end of its life.
     * Unless {@code thorough}, a closed file whose size did not change is taken as unchanged.
     */
    private void check(TailedFile f, long nowMillis, boolean thorough) throws IOException {
        // an inode held open since before cannot have been freed and given to another file
        boolean heldOpen = f.isOpen();
        long size;
        try {
            if (!f.isOpen() && !f.matched()) {
                Path found = findByInode(f.path(), f.inode());
                if (found == null) {
                    forget(f, "it is gone");
                    return;
                }
                f.path(found);
            } else if (!f.matched() && !sameInode(f.path(), f.inode())) {
                // renamed again while read to its end (app.log.1 to app.log.2), its former name maybe
                // given to a new file (the copy of a copytruncate): its lines and position name it where it is
                Path moved = findByInode(f.path(), f.inode());
                if (moved != null) {
                    LOG.debug("[{}] {} was renamed to {}", label, f.path(), moved);
                    f.path(moved);
                }
            }
            // only for a matched file: a closed rotated-away one is looked at whole (few are followed),
            // so a copy given its freed inode is noticed and it is done with once idle for idleTimeout
            if (!thorough && !f.isOpen() && f.matched() && Files.size(f.path()) == f.committed()) {
                noteIfEmpty(f, f.committed());
                return;
            }
            size = f.size();
        } catch (NoSuchFileException e) {
            forget(f, "it is gone");
            return;
        }
        FileChannel ch = f.open();
        Fingerprint fp = f.fingerprint();
        if (size < f.committed() || fp != null && !fp.matches(ch)) {
            if (f.matched() || heldOpen) {
                // truncated in place (copytruncate), possibly renamed away before this look: the
                // rest of its old content is in its copy, its new content is ours from the start
                truncated(f, size, nowMillis);
            } else {
                // a rotated file's inode now holds another file (the old one was deleted): not ours
                forget(f, "its inode now holds other content");
            }
            return;
        }
        fingerprintGrown(f, ch, size, nowMillis);
        noteIfEmpty(f, size);
        TailedFile original = f.copyOf();
        if (original != null) {
            if (!files.containsKey(original.inode())) {
                f.copyOf(null);
            } else {
                f.resetTo(Math.max(f.committed(), Math.min(original.committed(), size)));
            }
        }
        if (size > f.committed()) {
            f.grew(nowMillis);
        } else if (nowMillis - f.lastGrowthMillis() >= idleTimeoutMillis) {
            if (!f.matched()) {
                forget(f, "it was read to its end and has not grown for " + idleTimeoutMillis + " ms");
            } else if (f.isOpen()) {
                LOG.debug("[{}] closing idle {}", label, f.path());
                f.close();
            }
        } else if (!f.matched() && size == f.committed() && findByInode(f.path(), f.inode()) == null) {
            forget(f, "it was read to its end and deleted or compressed");
        }
    }

    /**
     * Whether {@code f} still holds the content its position counts in: it did not shrink below
     * the position and its first bytes did not change. Also completes the fingerprint while the
     * file is shorter than {@link Fingerprint#MAX_BYTES}, so a file read in one long run (never
     * looked at by {@link #refresh}) still has one when it is truncated. Called before each batch.
     */
    boolean intact(TailedFile f) throws IOException {
        FileChannel ch = f.open();
        long size = ch.size();
        Fingerprint fp = f.fingerprint();
        if (size < f.committed() || fp != null && !fp.matches(ch)) {
            return false;
        }
        if (fp != null && fp.complete()) {
            return true;
        }
        // a copy found now is recorded by the next look at the groups before any batch of it or of f commits;
        // looking for one reads the other files' fingerprints and adds to the followed files
        synchronized (this) {
            return !fingerprintGrown(f, ch, size, f.lastGrowthMillis());
        }
    }

    /**
     * Completes the fingerprint of a file shorter than {@link Fingerprint#MAX_BYTES} that grew.
     * The first one of a file seen empty with nothing read: what was written and copy-truncated
     * since that look is in a file that appeared since, which is then read. Returns whether such a
     * copy was found.
     */
    private boolean fingerprintGrown(TailedFile f, FileChannel ch, long size, long nowMillis) throws IOException {
        Fingerprint fp = f.fingerprint();
        if ((fp == null || !fp.complete()) && size > (fp == null ? 0 : fp.length())) {
            f.fingerprint(Fingerprint.of(ch));
            Map<Long, Fingerprint> among = f.seenEmptyAmong();
            f.seenEmptyAmong(null);
            if (fp == null && among != null && f.fingerprint() != null && f.committed() == 0) {
                return copyWrittenSinceEmpty(f, among, nowMillis);
            }
        }
        return false;
    }

    /**
     * Notes the directory's files when {@code f} is first seen empty with nothing read (see the class
     * comment); the notes of that first look are kept while it stays empty.
     */
    private void noteIfEmpty(TailedFile f, long size) throws IOException {
        if (size == 0 && f.committed() == 0 && f.fingerprint() == null && f.seenEmptyAmong() == null) {
            // null values: files empty then, or not named as a rotation of f (never taken for its copy)
            Map<Long, Fingerprint> noted = new HashMap<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(f.path().toAbsolutePath().getParent())) {
                for (Path p : s) {
                    Long ino = inode(p);
                    if (ino != null) {
                        noted.put(ino, rotatedName(f.path(), p) && ino != f.inode() ? firstBytes(p) : null);
                    }
                }
            }
            f.seenEmptyAmong(noted);
        }
    }

    /** The fingerprint of a regular file's first bytes, null when it is empty, gone or not a regular file. */
    private static Fingerprint firstBytes(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            return Fingerprint.of(c);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Whether the file open as {@code c}, whose inode was among {@code noted} when a file was seen
     * empty, still holds what it held then: it had first bytes then and still starts with them. An
     * inode that was empty then (or held no fingerprint) and has content now holds new content.
     */
    private static boolean sameAsNoted(Map<Long, Fingerprint> noted, long inode, FileChannel c) throws IOException {
        if (!noted.containsKey(inode)) {
            return false;
        }
        Fingerprint then = noted.get(inode);
        return then != null && then.matches(c);
    }

    /**
     * {@code f} was empty at the last look, when its directory held the files {@code among}, and now
     * has content: when it was written and copy-truncated in between, the copy is a file that
     * appeared since, which this reads from its start. Returns whether it found one.
     */
    private boolean copyWrittenSinceEmpty(TailedFile f, Map<Long, Fingerprint> among, long nowMillis)
            throws IOException {
        List<Path> candidates = new ArrayList<>();
        List<Long> inodes = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(f.path().toAbsolutePath().getParent())) {
            for (Path p : s) {
                Long ino = inode(p);
                if (ino == null || ino == f.inode() || files.containsKey(ino) || !rotatedName(f.path(), p)
                        || !Files.isRegularFile(p) || Files.size(p) == 0) {
                    continue;
                }
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
                    // a file that was there unchanged, a copy of what the file holds now (a backup, not a
                    // truncation), of another followed file (its truncation is handled with that file) or an
                    // archive is not it
                    if (sameAsNoted(among, ino, c) || compressed(c) || samePrefix(f.open(), c)
                            || copyOfAFollowedFile(c)) {
                        continue;
                    }
                } catch (NoSuchFileException e) {
                    continue;
                }
                candidates.add(p);
                inodes.add(ino);
            }
        }
        if (candidates.size() == 1) {
            Path p = candidates.get(0);
            TailedFile copy = new TailedFile(p, inodes.get(0), f.group(), 0, nowMillis);
            copy.matched(f.group().matches(p));
            try {
                copy.fingerprint(Fingerprint.of(copy.open()));
            } catch (NoSuchFileException e) {
                return false;
            }
            files.put(copy.inode(), copy);
            LOG.info("[{}] {} was seen empty, then written and truncated before this look; reading its earlier"
                    + " content from {}, the one file of its directory that appeared or got new content since", label, f.path(), p);
            return true;
        } else if (candidates.size() > 1) {
            LOG.warn("[{}] {} was seen empty and has content now; if it was written and copy-truncated in between,"
                    + " that content is in one of {}, which appeared or got new content since: none is read, since which one cannot be"
                    + " told. Read it by hand if so, and have the source look at the files more often (a lower"
                    + " maxBackoffSleep, fewer sources on the machine)", label, f.path(), candidates);
        }
        return false;
    }

    /**
     * Whether {@code candidate} is named as a rotation of {@code file}, as logrotate, log4j,
     * logback and Python's handlers name them:
     * <ul>
     * <li>the file's name, then {@code .}, {@code -} or {@code _} and anything: {@code app.log.1},
     *     {@code app.log.2.gz}, {@code app.log-20261207} (logrotate's {@code dateext}),
     *     {@code app.log.2026-12-07} (a {@code dateformat}, log4j's {@code app.log.%d});</li>
     * <li>for a name with an extension, the name before its last dot, then {@code .}, {@code -} or
     *     {@code _}, a part holding a digit (a date or a number) and the extension, maybe followed by
     *     more: {@code app-20261207.log} (logrotate's {@code extension .log}), {@code app.1.log},
     *     {@code app-2026-12-07.3.log.gz} (log4j's and logback's {@code app-%d{yyyy-MM-dd}.%i.log.gz}).</li>
     * </ul>
     * So another log of the same application ({@code app.err}, {@code app.err.log},
     * {@code app.logger}) is never taken for a generation of {@code app.log}.
     */
    static boolean rotatedName(Path file, Path candidate) {
        String name = file.getFileName().toString();
        String other = candidate.getFileName().toString();
        if (other.length() > name.length() + 1 && other.startsWith(name) && separator(other.charAt(name.length()))) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return false;
        }
        String stem = name.substring(0, dot);
        String ext = name.substring(dot);
        if (other.length() <= stem.length() + 1 || !other.startsWith(stem) || !separator(other.charAt(stem.length()))) {
            return false;
        }
        for (int at = other.indexOf(ext, stem.length() + 2); at >= 0; at = other.indexOf(ext, at + 1)) {
            int end = at + ext.length();
            if ((end == other.length() || other.charAt(end) == '.') && hasDigit(other, stem.length() + 1, at)) {
                return true;
            }
        }
        return false;
    }

    private static boolean separator(char c) {
        return c == '.' || c == '-' || c == '_';
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the shorter file's first bytes (up to {@link Fingerprint#MAX_BYTES}) are the other's too. */
    private static boolean samePrefix(FileChannel a, FileChannel b) throws IOException {
        int n = (int) Math.min(Fingerprint.MAX_BYTES, Math.min(a.size(), b.size()));
        ByteBuffer x = ByteBuffer.allocate(n);
        ByteBuffer y = ByteBuffer.allocate(n);
        while (x.hasRemaining() && a.read(x, x.position()) > 0) {
            // read the first bytes
        }
        while (y.hasRemaining() && b.read(y, y.position()) > 0) {
            // read the first bytes
        }
        return x.position() == n && y.position() == n && Arrays.equals(x.array(), y.array());
    }

    private boolean copyOfAFollowedFile(FileChannel c) throws IOException {
        for (TailedFile t : files.values()) {
            if (t.fingerprint() != null && t.fingerprint().matches(c)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the file starts as a gzip, bzip2, xz or zstd archive does. */
    private static boolean compressed(FileChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(6);
        while (b.hasRemaining() && c.read(b, b.position()) > 0) {
            // read the first bytes
        }
        byte[] h = Arrays.copyOf(b.array(), b.position());
        return starts(h, 0x1f, 0x8b) || starts(h, 'B', 'Z', 'h') || starts(h, 0xfd, '7', 'z', 'X', 'Z', 0)
                || starts(h, 0x28, 0xb5, 0x2f, 0xfd);
    }

    private static boolean starts(byte[] h, int... magic) {
        if (h.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** The file shrank or its first bytes changed: finish the old content from a copy, then start over. */
    private void truncated(TailedFile f, long size, long nowMillis) throws IOException {
        long was = f.committed();
        Fingerprint fp = f.fingerprint();
        TailedFile copy = null;
        for (TailedFile t : files.values()) {
            if (t.copyOf() == f) {
                copy = t;
                t.copyOf(null);
                t.resetTo(Math.max(t.committed(), Math.min(was, t.size())));
            }
        }
        // also when nothing of it was read yet (a file created and copy-truncated while another was
        // read): its whole old content is then in the copy
        if (copy == null && fp != null) {
            copy = findCopy(f, fp, was, nowMillis);
        }
        if (copy != null) {
            LOG.info("[{}] {} was truncated at {}; reading the rest of its old content from {}", label, f.path(), was,
                    copy.path());
        } else if (was > 0 || fp != null) {
            LOG.info("[{}] {} was truncated or replaced (size {} < position {} or its first bytes changed) and no copy"
                    + " of it was found; reading it from its start", label, f.path(), size, was);
        }
        f.resetTo(0);
        f.fingerprint(size > 0 ? Fingerprint.of(f.open()) : null);
        f.seenEmptyAmong(null);
        noteIfEmpty(f, size);
        f.grew(nowMillis);
    }

    private TailedFile findCopy(TailedFile original, Fingerprint fp, long position, long nowMillis)
            throws IOException {
        Path dir = original.path().getParent();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                Long ino = inode(p);
                if (ino == null || ino == original.inode() || files.containsKey(ino) || !Files.isRegularFile(p)
                        || Files.size(p) < position) {
                    continue;
                }
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
                    if (!fp.matches(c)) {
                        continue;
                    }
                }
                TailedFile copy = new TailedFile(p, ino, original.group(), position, nowMillis);
                copy.matched(original.group().matches(p));
                copy.fingerprint(fp);
                copy.open();
                files.put(ino, copy);
                return copy;
            }
        }
        return null;
    }

    private void forget(TailedFile f, String why) throws IOException {
        long size = -1;
        try {
            size = f.isOpen() ? f.size() : -1;
        } catch (IOException e) {
            // closed underneath; nothing more to read anyway
        }
        if (size > f.committed()) {
            LOG.warn("[{}] forgetting {} with {} unread bytes: {}", label, f, size - f.committed(), why);
        } else {
            LOG.info("[{}] done with {}: {}", label, f, why);
        }
        files.remove(f.inode());
        f.close();
    }

    private Path findByInode(Path where, long inode) throws IOException {
        if (sameInode(where, inode)) {
            return where;
        }
        Path dir = where.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (sameInode(p, inode) && Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private FileGroup groupByDirectory(Path dir) {
        for (FileGroup g : groups) {
            if (g.directory().equals(dir)) {
                return g;
            }
        }
        return null;
    }

    private static boolean sameInode(Path p, long inode) throws IOException {
        Long i = inode(p);
        return i != null && i == inode;
    }

    /** The inode of {@code p}, null when it does not exist. */
    static Long inode(Path p) throws IOException {
        try {
            return (Long) Files.getAttribute(p, "unix:ino");
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (TailedFile f : files.values()) {
            try {
                f.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
