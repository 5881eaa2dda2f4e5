package io.sluice.hdfs;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.serialization.AvroEventSerializerFactory;
import io.sluice.core.serialization.EventSerializer;
import io.sluice.core.serialization.EventSerializers;
import io.sluice.core.serialization.TextSerializerFactory;
import io.sluice.core.support.ExactlyOnceRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds {@code type = hdfs} sinks (also accepted: {@code org.apache.flume.sink.hdfs.HDFSEventSink}).
 * Registered through {@code META-INF/services/io.sluice.api.ComponentFactory}. The keys are
 * {@link HdfsSinkConfig}'s. Listing or validating components loads no Hadoop class; building a
 * sink does (to check the codec). Stateless and thread-safe.
 */
public final class HdfsSinkFactory implements ComponentFactory<Sink> {
    private static final String SERIALIZER_PREFIX = "serializer.";

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "hdfs")
            .otherNames("org.apache.flume.sink.hdfs.HDFSEventSink")
            .keys(allKeys())
            .description("Writes events into files on HDFS or any Hadoop FileSystem, as SequenceFiles or text/avro"
                    + " streams, optionally compressed; flushed before each commit, optionally exactly once.")
            .build();

    private static ConfigKey<?>[] allKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(HdfsSinkConfig.KEYS);
        keys.add(ConfigKey.boolKey(SERIALIZER_PREFIX + TextSerializerFactory.APPEND_NEWLINE.name(), true,
                "text and header_and_text: newline after each event."));
        keys.add(ConfigKey.intKey(SERIALIZER_PREFIX + AvroEventSerializerFactory.SYNC_INTERVAL_BYTES.name(), 2048000,
                "avro_event: block size."));
        keys.add(ConfigKey.stringKey(SERIALIZER_PREFIX + AvroEventSerializerFactory.COMPRESSION_CODEC.name(), "null",
                "avro_event: codec."));
        return keys.toArray(new ConfigKey<?>[0]);
    }

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        HdfsSinkConfig config = HdfsSinkConfig.read(context);
        String serializerType = context.get(HdfsSinkConfig.SERIALIZER).trim();
        EventSerializer.Builder serializer = null;
        Optional<ComponentFactory<EventSerializer.Builder>> factory = EventSerializers.find(context, serializerType);
        if (factory.isEmpty()) {
            context.problem(HdfsSinkConfig.SERIALIZER.name(), serializerType, "is not a known event serializer",
                    "use " + EventSerializers.knownNames());
        } else {
            serializer = factory.get().create(context.child(ComponentKind.EVENT_SERIALIZER, context.name(),
                    SERIALIZER_PREFIX));
        }
        if (config == null) {
            return null;
        }
        boolean exactlyOnceOk = !config.exactlyOnce() || ExactlyOnceRules.check(context, HdfsSinkConfig.EXACTLY_ONCE.name());
        HadoopSetup.Result hadoop = HadoopSetup.create(config, serializer);
        if (hadoop.setup() == null) {
            context.problem(HdfsSinkConfig.CODEC.name(), config.codec(), hadoop.codecProblem(),
                    "use a codec that loads here (gzip, bzip2 and deflate always do), or install the native library"
                            + " it needs");
        }
        if (serializer == null || !exactlyOnceOk || hadoop.setup() == null) {
            return null;
        }
        SinkCounter counter = context.counters().register(new SinkCounter(context.name()));
        return new HdfsSink(context.name(), context.label(), config, hadoop.setup(),
                context.dataDirectory().toFile(), context.agentName() + "." + context.name(), context.clock(),
                counter);
    }
}
