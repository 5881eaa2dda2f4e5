package io.sluice.hdfs;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;

/**
 * What the three writers share: the file's output stream, its length and its block's replicas.
 * Not thread-safe, like every {@link HdfsWriter}.
 */
abstract class FileStreamWriter implements HdfsWriter {
    /** The file being written; set by {@link #open}. */
    protected FSDataOutputStream out;

    @Override
    public long length() throws IOException {
        return out.getPos();
    }

    @Override
    public int currentReplicas() {
        return StreamSupport.replicas(out);
    }
}
