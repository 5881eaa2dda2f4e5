package io.sluice.hdfs;

import io.sluice.api.Event;
import io.sluice.core.serialization.EventSerializer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import static java.util.Objects.requireNonNull;

/**
 * {@code hdfs.fileType = DataStream}: the serializer's bytes, uncompressed, as Apache Flume's
 * {@code HDFSDataStream} writes them. Events go through a 64 KB buffer, pushed to HDFS at each
 * {@link #sync}. Not thread-safe.
 */
final class DataStreamWriter extends FileStreamWriter {
    private final EventSerializer.Builder serializers;
    private final boolean rawLocal;
    private BufferedOutputStream buffered;
    private EventSerializer serializer;

    DataStreamWriter(EventSerializer.Builder serializers, boolean rawLocal) {
        this.serializers = requireNonNull(serializers, "serializers is null");
        this.rawLocal = rawLocal;
    }

    @Override
    public void open(FileSystem fs, Path path) throws IOException {
        out = StreamSupport.create(fs, path, rawLocal);
        buffered = new BufferedOutputStream(out, 64 * 1024);
        serializer = serializers.build(buffered);
        serializer.afterCreate();
    }

    @Override
    public void append(Event event) throws IOException {
        serializer.write(event);
    }

    @Override
    public void sync(boolean hsync) throws IOException {
        serializer.flush();
        buffered.flush();
        StreamSupport.sync(out, hsync);
    }

    @Override
    public void close() throws IOException {
        serializer.flush();
        serializer.beforeClose();
        buffered.flush();
        out.hflush();
        out.close();
    }
}
