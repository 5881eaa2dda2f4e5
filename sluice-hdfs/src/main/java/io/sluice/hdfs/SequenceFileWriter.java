package io.sluice.hdfs;

import io.sluice.api.Event;
import java.io.IOException;
import java.time.Clock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;

import static java.util.Objects.requireNonNull;

/**
 * {@code hdfs.fileType = SequenceFile}: one record per event, as Apache Flume writes them. The key
 * is the event's {@code timestamp} header as a {@link LongWritable} (the clock's time when the
 * header is missing or not a number); the value is the body as a {@link BytesWritable}
 * ({@code hdfs.writeFormat = Writable}) or a {@link Text} ({@code Text}). With {@code hdfs.codeC}
 * the file is block-compressed. Not thread-safe.
 */
final class SequenceFileWriter extends FileStreamWriter {
    private final boolean text;
    private final CompressionCodec codec;
    private final Configuration conf;
    private final boolean rawLocal;
    private final Clock clock;
    private final LongWritable key = new LongWritable();
    private final BytesWritable bytes = new BytesWritable();
    private final Text textValue = new Text();
    private SequenceFile.Writer writer;

    SequenceFileWriter(boolean text, CompressionCodec codec, Configuration conf, boolean rawLocal, Clock clock) {
        this.text = text;
        this.codec = codec;
        this.conf = requireNonNull(conf, "conf is null");
        this.rawLocal = rawLocal;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void open(FileSystem fs, Path path) throws IOException {
        out = StreamSupport.create(fs, path, rawLocal);
        SequenceFile.Writer.Option compression = codec == null
                ? SequenceFile.Writer.compression(SequenceFile.CompressionType.NONE)
                : SequenceFile.Writer.compression(SequenceFile.CompressionType.BLOCK, codec);
        writer = SequenceFile.createWriter(conf, SequenceFile.Writer.stream(out),
                SequenceFile.Writer.keyClass(LongWritable.class),
                SequenceFile.Writer.valueClass(text ? Text.class : BytesWritable.class), compression);
    }

    @Override
    public void append(Event event) throws IOException {
        key.set(timestamp(event));
        if (text) {
            byte[] body = event.body();
            textValue.set(body, 0, body.length);
            writer.append(key, textValue);
        } else {
            bytes.setSize(0);
            bytes.setSize(event.bodyLength());
            event.copyBodyTo(bytes.getBytes(), 0);
            writer.append(key, bytes);
        }
    }

    private long timestamp(Event event) {
        String ts = event.headers().get("timestamp");
        if (ts != null) {
            try {
                return Long.parseLong(ts.trim());
            } catch (NumberFormatException e) {
                // fall through: the clock's time, as for an event without the header
            }
        }
        return clock.millis();
    }

    @Override
    public void sync(boolean hsync) throws IOException {
        writer.sync();
        StreamSupport.sync(out, hsync);
    }

    @Override
    public void close() throws IOException {
        writer.close();
        out.hflush();
        out.close();
    }
}
