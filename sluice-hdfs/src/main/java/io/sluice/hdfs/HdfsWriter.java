package io.sluice.hdfs;

import io.sluice.api.Event;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes one file in one of the three formats. The sink calls {@link #open}, {@link #append} per
 * event, {@link #sync} before it commits a batch and {@link #close} once. Not thread-safe: used
 * by one thread at a time, under the owning {@link BucketFile}'s lock.
 */
interface HdfsWriter {

    /** Creates {@code path} (never overwriting) and writes the format's header. */
    void open(FileSystem fs, Path path) throws IOException;

    void append(Event event) throws IOException;

    /** Pushes everything written so far to the datanodes: hflush, or hsync when {@code hsync}. */
    void sync(boolean hsync) throws IOException;

    /** Writes the trailer, flushes and closes the file. */
    void close() throws IOException;

    /** Bytes in the file so far, as the file system counts them (after the last {@link #sync}). */
    long length() throws IOException;

    /** Replicas of the block being written, or -1 when the file system does not say. */
    int currentReplicas();
}
