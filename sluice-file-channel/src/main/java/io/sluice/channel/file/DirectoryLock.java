package io.sluice.channel.file;

import io.sluice.api.ChannelException;
import io.sluice.channel.file.log.LogFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on one directory of a file channel ({@code in_use.lock}), so two channels, in
 * this process or another, never share a checkpoint or data directory. The lock file holds the
 * owner's name so the error can name both channels.
 *
 * <p>Thread-safe; the in-process table of held locks is a concurrent map.
 */
final class DirectoryLock implements AutoCloseable {
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it for {@code owner}; throws {@link ChannelException}
     * naming the other owner when it is taken.
     */
    static DirectoryLock acquire(Path dir, String owner, String role) {
        Path real;
        try {
            Files.createDirectories(dir);
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new ChannelException(owner + " cannot create " + role + " " + dir + ": " + e
                    + "; point " + role + " at a writable directory", e);
        }
        String other = HELD.putIfAbsent(real, owner);
        if (other != null) {
            throw new ChannelException(owner + " cannot use " + role + " " + real + ": it is already used by channel "
                    + other + "; give every file channel its own checkpointDir and dataDirs");
        }
        Path lockFile = real.resolve(LogFormat.LOCK_FILE);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
                ch.close();
                HELD.remove(real, owner);
                throw new ChannelException(owner + " cannot use " + role + " " + real + ": it is locked by "
                        + (holder.isEmpty() ? "another process" : holder) + "; give every file channel its own"
                        + " checkpointDir and dataDirs, or stop the other agent");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("channel " + owner + " pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new DirectoryLock(real, ch, l);
        } catch (IOException e) {
            HELD.remove(real, owner);
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new ChannelException(owner + " cannot lock " + role + " " + real + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes away with the file handle anyway
        } finally {
            HELD.remove(dir);
        }
    }
}
