package io.sluice.hdfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import static java.util.Objects.requireNonNull;

/**
 * Exactly-once mode's commit records on HDFS, beside the data: after a batch's data is flushed,
 * a new small file {@code commit-<seq>} names the batch's position in the channel (first and last
 * position, count) and every in-use file with the length it has committed. It is created without
 * overwriting, hsynced and closed, and only then is the take committed; older records are then
 * deleted. A record counts only when it is complete: its last line carries a CRC32C of the lines
 * before it, so a record torn by a crash is ignored and the one before it rules.
 *
 * <p>Format, version 1 (UTF-8 lines): {@code sluice-hdfs-commit 1}, {@code seq N},
 * {@code batch FIRST LAST COUNT} (omitted before the first batch), any number of
 * {@code file LENGTH TAB IN-USE-PATH TAB FINAL-PATH}, then {@code crc HEX}.
 *
 * <p>Not thread-safe: used under the sink's lock.
 */
final class CommitLog {
    static final String DIRECTORY = ".sluice-commits";

    /** The channel positions of one batch. */
    record Batch(long first, long last, int count) {
    }

    /** A file's committed length. */
    record CommittedFile(String inUsePath, String finalPath, long length) {
    }

    /** One complete commit record. */
    record Record(long seq, Batch batch, List<CommittedFile> files) {
        Record {
            files = List.copyOf(files);
        }
    }

    private final FileSystem fs;
    private final Path directory;
    private long lastSeq;

    CommitLog(FileSystem fs, Path directory) {
        this.fs = requireNonNull(fs, "fs is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    Path directory() {
        return directory;
    }

    /** The newest complete record, or {@code null} when there is none. */
    Record latest() throws IOException {
        if (!fs.exists(directory)) {
            fs.mkdirs(directory);
            return null;
        }
        List<Long> seqs = new ArrayList<>();
        for (FileStatus s : fs.listStatus(directory)) {
            String n = s.getPath().getName();
            if (n.startsWith("commit-")) {
                try {
                    seqs.add(Long.parseLong(n.substring(7)));
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
        seqs.sort((a, b) -> Long.compare(b, a));
        if (!seqs.isEmpty()) {
            lastSeq = Math.max(lastSeq, seqs.get(0));
        }
        for (long seq : seqs) {
            Record r = read(seq);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private Record read(long seq) {
        String text;
        try (InputStream in = fs.open(path(seq))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        int crcAt = text.lastIndexOf("crc ");
        if (crcAt < 0 || !text.endsWith("\n")) {
            return null;
        }
        String body = text.substring(0, crcAt);
        String crc = text.substring(crcAt + 4, text.length() - 1);
        if (!crc.equals(crcOf(body))) {
            return null;
        }
        Batch batch = null;
        List<CommittedFile> files = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("batch ")) {
                String[] p = line.split(" ");
                batch = new Batch(Long.parseLong(p[1]), Long.parseLong(p[2]), Integer.parseInt(p[3]));
            } else if (line.startsWith("file ")) {
                String[] p = line.substring(5).split("\t");
                files.add(new CommittedFile(p[1], p[2], Long.parseLong(p[0])));
            }
        }
        return new Record(seq, batch, files);
    }

    /** Writes the next record durably, then deletes the older ones. */
    Record write(Batch batch, List<CommittedFile> files) throws IOException {
        long seq = lastSeq + 1;
        StringBuilder sb = new StringBuilder("sluice-hdfs-commit 1\nseq ").append(seq).append('\n');
        if (batch != null) {
            sb.append("batch ").append(batch.first()).append(' ').append(batch.last()).append(' ')
                    .append(batch.count()).append('\n');
        }
        for (CommittedFile f : files) {
            sb.append("file ").append(f.length()).append('\t').append(f.inUsePath()).append('\t')
                    .append(f.finalPath()).append('\n');
        }
        String body = sb.toString();
        byte[] bytes = (body + "crc " + crcOf(body) + "\n").getBytes(StandardCharsets.UTF_8);
        Path p = path(seq);
        try (var out = fs.create(p, false)) {
            out.write(bytes);
            out.hsync();
        }
        lastSeq = seq;
        for (long old = seq - 1; old > 0 && old >= seq - 3; old--) {
            fs.delete(path(old), false);
        }
        return new Record(seq, batch, files);
    }

    private Path path(long seq) {
        return new Path(directory, "commit-" + seq);
    }

    private static String crcOf(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    /** For tests: what a writer that died mid-record leaves. */
    static void writeTorn(FileSystem fs, Path directory, long seq) throws IOException {
        try (OutputStream out = fs.create(new Path(directory, "commit-" + seq), false)) {
            out.write("sluice-hdfs-commit 1\nseq ".getBytes(StandardCharsets.UTF_8));
        }
    }
}
