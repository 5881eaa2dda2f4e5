package io.sluice.core.serialization;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.file.CodecFactory;

/**
 * Builds the {@code avro_event} serializer (Apache Flume's {@code AVRO_EVENT},
 * {@code org.apache.flume.serialization.FlumeEventAvroEventSerializer$Builder}).
 *
 * <p>Keys: {@code syncIntervalBytes} (default 2048000: the uncompressed size of a block),
 * {@code compressionCodec} (default {@code null}: no compression; {@code deflate} needs nothing
 * more, {@code snappy}, {@code bzip2}, {@code xz} and {@code zstandard} need their library on the
 * classpath, which is checked when the configuration is validated).
 */
public final class AvroEventSerializerFactory implements ComponentFactory<EventSerializer.Builder> {
    public static final ConfigKey<Integer> SYNC_INTERVAL_BYTES = ConfigKey.intKey("syncIntervalBytes", 2048000,
            "Approximate uncompressed size of an Avro block before a sync marker is written.")
            .between(32, 1 << 30);
    public static final ConfigKey<String> COMPRESSION_CODEC = ConfigKey.stringKey("compressionCodec", "null",
            "Avro codec for the blocks: null, deflate, snappy, bzip2, xz or zstandard.");

    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.EVENT_SERIALIZER, "avro_event")
            .otherNames("org.apache.flume.serialization.FlumeEventAvroEventSerializer$Builder")
            .keys(SYNC_INTERVAL_BYTES, COMPRESSION_CODEC)
            .description("Writes events as an Avro container file of Apache Flume events.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public EventSerializer.Builder create(ComponentContext context) {
        int syncInterval = context.get(SYNC_INTERVAL_BYTES);
        String codecName = context.get(COMPRESSION_CODEC).trim();
        CodecFactory codec;
        try {
            codec = CodecFactory.fromString(codecName);
            // Exercise the codec once so a missing compression library fails validation, not the first write.
            EventSerializer probe = new AvroEventSerializer(new ByteArrayOutputStream(), syncInterval, codec);
            probe.afterCreate();
            probe.write(Event.ofString("codec check"));
            probe.flush();
        } catch (RuntimeException | LinkageError | IOException e) {
            context.problem(COMPRESSION_CODEC.name(), codecName,
                    "is not a usable Avro codec (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "use null or deflate, or put the codec's library on the classpath");
            return null;
        }
        CodecFactory chosen = codec;
        return out -> new AvroEventSerializer(out, syncInterval, chosen);
    }
}
