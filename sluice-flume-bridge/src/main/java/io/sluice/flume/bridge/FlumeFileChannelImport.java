package io.sluice.flume.bridge;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Reads every event an Apache Flume 1.11 file channel still holds (puts committed and not taken),
 * oldest first, without changing Flume's files: it checks the directories are a Flume channel's
 * and that no Flume process holds them ({@code in_use.lock}), copies them into a work directory,
 * and lets Flume's own {@code FileChannel} (from {@code lib/flume-api}, in the plugin class loader)
 * replay and drain the copy. The copy is deleted afterwards. Not thread-safe; one import at a time.
 */
public final class FlumeFileChannelImport {
    private static final Logger LOG = LoggerFactory.getLogger(FlumeFileChannelImport.class);
    static final String DRAIN_CLASS = PluginClassLoader.ADAPTER_PACKAGE + "FlumeFileChannelDrain";
    private static final Pattern FLUME_LOG = Pattern.compile("log-[0-9]+");
    private static final Pattern SLUICE_SEGMENT = Pattern.compile("segment-[0-9]+\\.wal");
    private static final String LOCK_FILE = "in_use.lock";
    private static final String CHECKPOINT = "checkpoint";
    /** Apache Flume's checkpoint: (capacity + 1029 header slots) longs. */
    private static final int FLUME_CHECKPOINT_HEADER_LONGS = 1029;
    private static final int SLUICE_CHECKPOINT_MAGIC = 0x534C4350;
    private static final int DEFAULT_FLUME_CAPACITY = 1_000_000;

    /** A problem with the user's input or environment; the message says what and what to do. */
    public static final class ImportException extends Exception {
        private static final long serialVersionUID = 1L;

        public ImportException(String message) {
            super(message);
        }

        public ImportException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private FlumeFileChannelImport() {
    }

    /**
     * Hands every event of the Flume channel in {@code checkpointDir} and {@code dataDirs} to
     * {@code out}, in batches of at most {@code batchSize}, oldest first; a batch counts as moved
     * once {@code out} returned. When {@code out} throws, the import stops and rethrows it.
     *
     * @param workParent where the copy of Flume's directories is made (needs their size free)
     * @return how many events were handed to {@code out}
     */
    public static long run(Path checkpointDir, List<Path> dataDirs, Path workParent, int batchSize,
            PluginPaths paths, Consumer<List<Event>> out) throws ImportException {
        requireNonNull(out, "out is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: > 0)");
        }
        check(checkpointDir, dataDirs);
        List<URL> api = PluginClassPath.scan(paths).apiUrls();
        if (api.isEmpty()) {
            throw new ImportException("Apache Flume's jars were not found in " + paths.flumeApiDir()
                    + "; run the command from the Sluice distribution, or set -D" + PluginPaths.FLUME_API_PATH
                    + " to the directory holding them");
        }
        int capacity = flumeCapacity(checkpointDir);
        Path work;
        try {
            Files.createDirectories(workParent);
            work = Files.createTempDirectory(workParent, "sluice-flume-import-");
        } catch (IOException e) {
            throw new ImportException("cannot create a work directory in " + workParent + ": " + e
                    + "; give a writable directory with --work-dir", e);
        }
        try {
            Path checkpointCopy = work.resolve("checkpoint");
            copy(checkpointDir, checkpointCopy);
            List<Path> dataCopies = new ArrayList<>();
            for (int i = 0; i < dataDirs.size(); i++) {
                Path copy = work.resolve("data-" + i);
                copy(dataDirs.get(i), copy);
                dataCopies.add(copy);
            }
            LOG.info("Copied Apache Flume's channel ({} and {}) to {}; replaying it with Flume's FileChannel,"
                    + " capacity {}", checkpointDir, dataDirs, work, capacity);
            List<URL> urls = new ArrayList<>(api);
            urls.add(FlumeBridgeResolver.bridgeLocation());
            try (PluginClassLoader loader = new PluginClassLoader(urls, List.of(),
                    FlumeFileChannelImport.class.getClassLoader())) {
                FlumeChannelDrain drain = (FlumeChannelDrain) Class.forName(DRAIN_CLASS, true, loader)
                        .getConstructor().newInstance();
                Thread t = Thread.currentThread();
                ClassLoader before = t.getContextClassLoader();
                t.setContextClassLoader(loader);
                try {
                    return drain.drain(checkpointCopy, dataCopies, capacity, batchSize, out);
                } finally {
                    t.setContextClassLoader(before);
                }
            }
        } catch (ImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new ImportException("Apache Flume's FileChannel could not read the channel in " + checkpointDir
                    + " and " + dataDirs + ": " + e, e);
        } finally {
            deleteQuietly(work);
        }
    }

    /** Refuses directories that are not an idle Apache Flume file channel's, saying what they are. */
    public static void check(Path checkpointDir, List<Path> dataDirs) throws ImportException {
        if (dataDirs.isEmpty()) {
            throw new ImportException("no data directory given: give Flume's checkpointDir, then its dataDirs");
        }
        List<Path> all = new ArrayList<>();
        all.add(checkpointDir);
        all.addAll(dataDirs);
        for (Path d : all) {
            if (!Files.isDirectory(d)) {
                throw new ImportException(d + " is not a directory: give Flume's checkpointDir, then its dataDirs"
                        + " (as in the Flume agent's configuration)");
            }
        }
        if (isSluiceCheckpoint(checkpointDir.resolve(CHECKPOINT)) || anyMatch(all, SLUICE_SEGMENT)) {
            throw new ImportException(checkpointDir + " and " + dataDirs + " hold a Sluice file channel, not an"
                    + " Apache Flume one: point a Sluice file channel at them instead of importing");
        }
        if (anyMatch(List.of(checkpointDir), FLUME_LOG)) {
            throw new ImportException(checkpointDir + " holds Flume log-N files, so it is a data directory: give"
                    + " Flume's checkpointDir first, then its dataDirs");
        }
        if (!anyMatch(dataDirs, FLUME_LOG)) {
            throw new ImportException(checkpointDir + " and " + dataDirs + " are not an Apache Flume file channel:"
                    + " the data directories hold no log-N files. Give the checkpointDir and dataDirs of the"
                    + " Flume agent's file channel");
        }
        for (Path d : all) {
            checkNotLocked(d);
        }
    }

    /**
     * Fails when another process has {@code dir/in_use.lock} open or locked, as a running Flume
     * agent does. Apache Flume 1.11 takes a lock on the file but, on Linux, loses it at once (it
     * closes a second handle on the same file, which releases the process's locks), so the lock
     * alone proves nothing there: the open file handles in {@code /proc} are checked too.
     */
    private static void checkNotLocked(Path dir) throws ImportException {
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        OptionalLong holder = processWithOpen(lockFile);
        if (holder.isPresent()) {
            throw new ImportException("Apache Flume is still running on " + dir + ": process " + holder.getAsLong()
                    + " has " + lockFile + " open. Stop the Flume agent (or wait for it to exit), then import");
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ)) {
            FileLock lock = ch.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                throw new ImportException("Apache Flume is still running on " + dir + ": another process holds "
                        + lockFile + ". Stop the Flume agent (or wait for it to exit), then import");
            }
            lock.release();
        } catch (IOException e) {
            throw new ImportException("cannot check " + lockFile + ": " + e, e);
        }
    }

    /** The id of another process with {@code file} open, where {@code /proc} tells (Linux). */
    static OptionalLong processWithOpen(Path file) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return OptionalLong.empty();
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc,
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path pidDir : pids) {
                long pid = Long.parseLong(pidDir.getFileName().toString());
                if (pid != self && hasOpen(pidDir.resolve("fd"), real)) {
                    return OptionalLong.of(pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot list the processes in /proc: {}", e.toString());
        }
        return OptionalLong.empty();
    }

    private static boolean hasOpen(Path fdDir, Path file) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        return true;
                    }
                } catch (IOException | RuntimeException e) {
                    // closed meanwhile, or not ours to read
                }
            }
        } catch (IOException | RuntimeException e) {
            // a process that ended, or one we may not look into
        }
        return false;
    }

    private static boolean anyMatch(List<Path> dirs, Pattern name) throws ImportException {
        for (Path d : dirs) {
            try (Stream<Path> files = Files.list(d)) {
                if (files.anyMatch(p -> name.matcher(p.getFileName().toString()).matches())) {
                    return true;
                }
            } catch (IOException e) {
                throw new ImportException("cannot list " + d + ": " + e, e);
            }
        }
        return false;
    }

    private static boolean isSluiceCheckpoint(Path file) throws ImportException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && ByteBuffer.wrap(head).getInt() == SLUICE_CHECKPOINT_MAGIC;
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e, e);
        }
    }

    /** The capacity Flume's checkpoint file was sized for, so Flume can use it instead of replaying every log. */
    static int flumeCapacity(Path checkpointDir) throws ImportException {
        Path file = checkpointDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            return DEFAULT_FLUME_CAPACITY;
        }
        try {
            long longs = Files.size(file) / Long.BYTES;
            long capacity = longs - FLUME_CHECKPOINT_HEADER_LONGS;
            return capacity > 0 && capacity <= Integer.MAX_VALUE ? (int) capacity : DEFAULT_FLUME_CAPACITY;
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e, e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().equals(LOCK_FILE)) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete the work directory {}: {}", dir, e.toString());
        }
    }
}
