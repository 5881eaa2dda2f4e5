package io.sluice.core.sink.fileroll;

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
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code file_roll} sink ({@code org.apache.flume.sink.RollingFileSink}).
 *
 * <p>Keys, with Apache Flume's names and defaults: {@code sink.directory} (required),
 * {@code sink.rollInterval} (30 seconds; 0 never rolls), {@code sink.batchSize} (100),
 * {@code sink.serializer} ({@code TEXT}; also {@code header_and_text}, {@code avro_event} or a class
 * name) with its own keys under {@code sink.serializer.}, {@code sink.pathManager}
 * ({@code DEFAULT} or {@code ROLLTIME}), {@code sink.pathManager.prefix} and
 * {@code sink.pathManager.extension} (both empty). Sluice adds {@code sink.fsync} (true): force
 * each batch to disk before committing the take, and {@code sink.exactlyOnce} (false): record
 * each batch's channel positions and file length so that a crash neither repeats nor loses a
 * batch (needs a file channel read by this sink alone; see {@link RollingFileSink}).
 */
public final class RollingFileSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<String> DIRECTORY = ConfigKey.stringKey("sink.directory", null,
            "Directory the files are written into; created if missing.").required();
    public static final ConfigKey<Long> ROLL_INTERVAL = ConfigKey.longKey("sink.rollInterval", 30L,
            "Seconds after which a new file is started; 0 writes one file for the sink's life.").atLeast(0);
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("sink.batchSize", 100,
            "Events taken from the channel per transaction.").atLeast(1);
    public static final ConfigKey<String> SERIALIZER = ConfigKey.stringKey("sink.serializer", "TEXT",
            "How events are written: text, header_and_text, avro_event or a serializer class name.");
    public static final ConfigKey<String> PATH_MANAGER = ConfigKey.choiceKey("sink.pathManager", "default",
            "File naming: DEFAULT (<prefix><start millis>-<n>) or ROLLTIME (<prefix><yyyyMMddHHmmss>-<n>).",
            "default", "rolltime");
    public static final ConfigKey<String> PREFIX = ConfigKey.stringKey("sink.pathManager.prefix", "",
            "Text put in front of every file name.");
    public static final ConfigKey<String> EXTENSION = ConfigKey.stringKey("sink.pathManager.extension", "",
            "File name extension, without the dot.");
    public static final ConfigKey<Boolean> FSYNC = ConfigKey.boolKey("sink.fsync", true,
            "Force each batch to disk before the take is committed (Sluice only).");
    public static final ConfigKey<Boolean> EXACTLY_ONCE = ConfigKey.boolKey("sink.exactlyOnce", false,
            "Record each batch's channel positions and file length beside the files, cut the last file back and"
                    + " skip batches already written after a crash: no duplicates (Sluice only; needs a file channel"
                    + " that this sink alone reads).");

    private static final String SERIALIZER_PREFIX = "sink.serializer.";

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "file_roll")
            .otherNames("org.apache.flume.sink.RollingFileSink")
            .keys(DIRECTORY, ROLL_INTERVAL, BATCH_SIZE, SERIALIZER, PATH_MANAGER, PREFIX, EXTENSION, FSYNC, EXACTLY_ONCE,
                    ConfigKey.boolKey(SERIALIZER_PREFIX + TextSerializerFactory.APPEND_NEWLINE.name(), true,
                            "text and header_and_text: newline after each event."),
                    ConfigKey.intKey(SERIALIZER_PREFIX + AvroEventSerializerFactory.SYNC_INTERVAL_BYTES.name(), 2048000,
                            "avro_event: block size."),
                    ConfigKey.stringKey(SERIALIZER_PREFIX + AvroEventSerializerFactory.COMPRESSION_CODEC.name(), "null",
                            "avro_event: codec."))
            .description("Writes events to files in a local directory, starting a new file at an interval.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        String dir = context.get(DIRECTORY);
        long rollSeconds = context.get(ROLL_INTERVAL);
        int batchSize = context.get(BATCH_SIZE);
        String serializerType = context.get(SERIALIZER);
        String pathKind = context.get(PATH_MANAGER);
        String prefix = context.get(PREFIX);
        String extension = context.get(EXTENSION);
        boolean fsync = context.get(FSYNC);
        boolean exactlyOnce = context.get(EXACTLY_ONCE);
        boolean exactlyOnceOk = !exactlyOnce || ExactlyOnceRules.check(context, EXACTLY_ONCE.name());

        Path directory = null;
        if (dir != null) {
            try {
                directory = Path.of(dir.trim());
                if (Files.exists(directory) && !Files.isDirectory(directory)) {
                    context.problem(DIRECTORY.name(), dir, "exists and is not a directory",
                            "point sink.directory at a directory, or remove the file");
                    directory = null;
                }
            } catch (InvalidPathException e) {
                context.problem(DIRECTORY.name(), dir, "is not a valid path (" + e.getMessage() + ")",
                        "set sink.directory to a directory path");
            }
        }
        EventSerializer.Builder serializer = null;
        Optional<ComponentFactory<EventSerializer.Builder>> factory = EventSerializers.find(context, serializerType);
        if (factory.isEmpty()) {
            context.problem(SERIALIZER.name(), serializerType, "is not a known event serializer",
                    "use " + EventSerializers.knownNames());
        } else {
            serializer = factory.get().create(context.child(ComponentKind.EVENT_SERIALIZER, context.name(),
                    SERIALIZER_PREFIX));
        }
        if (directory == null || serializer == null || !exactlyOnceOk) {
            return null;
        }
        SinkCounter counter = context.counters().register(new SinkCounter(context.name()));
        String logName = context.label();
        PathManager paths = new PathManager(directory, pathKind, prefix, extension, context.clock().millis());
        return new RollingFileSink(context.name(), logName, directory, rollSeconds * 1000L, batchSize, fsync,
                serializer, paths, context.clock(), counter, exactlyOnce);
    }
}
