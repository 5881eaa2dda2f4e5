package io.sluice.bench.filechannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk's own fsync latency: a plain loop of one 4 KB append plus {@code fdatasync}
 * ({@code FileChannel.force(false)}), in the directory the benchmark writes to.
 */
public final class DiskFsyncProbe {
    private DiskFsyncProbe() {
    }

    public record Result(Latencies latencies, Path dir) {
        public String line() {
            return "file-channel disk_fsync " + latencies.summary() + " (4 KB append + fdatasync loop in " + dir + ")";
        }
    }

    public static Result measure(Path dir, int iterations) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("fsync-probe");
        Latencies l = new Latencies();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocateDirect(4096);
            long pos = 0;
            for (int i = 0; i < iterations; i++) {
                b.clear();
                pos += ch.write(b, pos);
                long t = System.nanoTime();
                ch.force(false);
                l.add(System.nanoTime() - t);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return new Result(l, dir);
    }
}
