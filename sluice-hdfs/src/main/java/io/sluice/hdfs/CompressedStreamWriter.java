package io.sluice.hdfs;

import io.sluice.api.Event;
import io.sluice.core.serialization.EventSerializer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;

import static java.util.Objects.requireNonNull;

/**
 * {@code hdfs.fileType = CompressedStream}: the serializer's bytes through {@code hdfs.codeC}, as
 * Apache Flume's {@code HDFSCompressedDataStream} writes them: each {@link #sync} finishes the
 * compressed member so everything flushed can be decompressed (a gzip file is then a sequence of
 * gzip members, which every gzip reader reads as one stream). Not thread-safe.
 */
final class CompressedStreamWriter extends FileStreamWriter {
    private final EventSerializer.Builder serializers;
    private final CompressionCodec codec;
    private final Configuration conf;
    private final boolean rawLocal;
    private CompressionOutputStream compressed;
    private BufferedOutputStream buffered;
    private Compressor compressor;
    private EventSerializer serializer;
    private boolean finished;

    CompressedStreamWriter(EventSerializer.Builder serializers, CompressionCodec codec, Configuration conf,
            boolean rawLocal) {
        this.serializers = requireNonNull(serializers, "serializers is null");
        this.codec = requireNonNull(codec, "codec is null");
        this.conf = requireNonNull(conf, "conf is null");
        this.rawLocal = rawLocal;
    }

    @Override
    public void open(FileSystem fs, Path path) throws IOException {
        out = StreamSupport.create(fs, path, rawLocal);
        compressor = CodecPool.getCompressor(codec, conf);
        compressed = codec.createOutputStream(out, compressor);
        buffered = new BufferedOutputStream(compressed, 64 * 1024);
        serializer = serializers.build(buffered);
        serializer.afterCreate();
        finished = false;
    }

    @Override
    public void append(Event event) throws IOException {
        if (finished) {
            compressed.resetState();
            finished = false;
        }
        serializer.write(event);
    }

    @Override
    public void sync(boolean hsync) throws IOException {
        serializer.flush();
        buffered.flush();
        if (!finished) {
            compressed.finish();
            finished = true;
        }
        out.flush();
        StreamSupport.sync(out, hsync);
    }

    @Override
    public void close() throws IOException {
        try {
            if (finished) {
                compressed.resetState();
                finished = false;
            }
            serializer.flush();
            serializer.beforeClose();
            buffered.flush();
            compressed.finish();
            out.flush();
            out.hflush();
            compressed.close();
        } finally {
            if (compressor != null) {
                CodecPool.returnCompressor(compressor);
                compressor = null;
            }
        }
    }
}
