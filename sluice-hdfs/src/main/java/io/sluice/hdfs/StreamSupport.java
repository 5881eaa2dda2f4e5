package io.sluice.hdfs;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.client.HdfsDataOutputStream;

/** What the three writers share about Hadoop's output streams. Stateless. */
final class StreamSupport {
    private StreamSupport() {
    }

    /** Creates {@code path} without overwriting, on the raw local file system when asked. */
    static FSDataOutputStream create(FileSystem fs, Path path, boolean rawLocal) throws IOException {
        FileSystem target = rawLocal && fs instanceof LocalFileSystem local ? local.getRaw() : fs;
        return target.create(path, false);
    }

    static void sync(FSDataOutputStream out, boolean hsync) throws IOException {
        if (hsync) {
            out.hsync();
        } else {
            out.hflush();
        }
    }

    static int replicas(FSDataOutputStream out) {
        if (out instanceof HdfsDataOutputStream h) {
            try {
                return h.getCurrentBlockReplication();
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }
}
