package io.sluice.core.source.spooldir;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.config.DefaultComponentContext;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code spooldir} source ({@code org.apache.flume.source.SpoolDirectorySource}), with Apache
 * Flume 1.11's keys and defaults:
 * <ul>
 * <li>{@code spoolDir} (required): the directory to read files from;</li>
 * <li>{@code fileSuffix} ({@code .COMPLETED}): appended to a finished file's name;</li>
 * <li>{@code deletePolicy} ({@code never}): {@code immediate} deletes finished files;</li>
 * <li>{@code fileHeader} (false) / {@code fileHeaderKey} ({@code file}): absolute path header;</li>
 * <li>{@code basenameHeader} (false) / {@code basenameHeaderKey} ({@code basename}): file name header;</li>
 * <li>{@code includePattern} ({@code ^.*$}) and {@code ignorePattern} ({@code ^$}): regular
 *     expressions on file names; a file is read when it matches the first and not the second;</li>
 * <li>{@code trackerDir} ({@code .flumespool}, relative paths are inside {@code spoolDir}): where the
 *     position record (and, with {@code trackingPolicy = tracker_dir}, the done markers) live;</li>
 * <li>{@code trackingPolicy} ({@code rename}): {@code tracker_dir} leaves finished files in place and
 *     records them as empty {@code <trackerDir>/<relative path><fileSuffix>} files;</li>
 * <li>{@code consumeOrder} ({@code oldest}): {@code oldest}, {@code youngest} (by modification
 *     time, ties by path) or {@code random};</li>
 * <li>{@code pollDelay} (500 ms), {@code recursiveDirectorySearch} (false), {@code maxBackoff}
 *     (4000 ms, the longest wait after the channel refused a batch), {@code batchSize} (100);</li>
 * <li>{@code inputCharset} (UTF-8), {@code decodeErrorPolicy} ({@code FAIL}, {@code REPLACE},
 *     {@code IGNORE});</li>
 * <li>{@code deserializer} ({@code LINE}; {@code BLOB}, {@code AVRO} or Flume's builder class
 *     names): {@code deserializer.maxLineLength} (2048 characters) and
 *     {@code deserializer.outputCharset} (UTF-8) for LINE, {@code deserializer.maxBlobLength}
 *     (100000000 bytes) for BLOB, {@code deserializer.schemaType} ({@code HASH} or
 *     {@code LITERAL}) for AVRO; or the {@code $Builder} class of an Apache Flume
 *     {@code EventDeserializer} in plugins.d, built by the plugin bridge with the
 *     {@code deserializer.*} keys ({@link SpoolDeserializerFactory}).</li>
 * </ul>
 * The deprecated {@code bufferMaxLines} and {@code bufferMaxLineLength} are accepted and ignored
 * with a warning, as Flume 1.11 ignores them.
 */
public final class SpoolDirectorySourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> SPOOL_DIR = ConfigKey.stringKey("spoolDir", null,
            "Directory to read files from.").required();
    public static final ConfigKey<String> FILE_SUFFIX = ConfigKey.stringKey("fileSuffix", ".COMPLETED",
            "Suffix appended to the name of a fully read file.");
    public static final ConfigKey<String> DELETE_POLICY = ConfigKey.choiceKey("deletePolicy", "never",
            "When to delete fully read files: never or immediate.", "never", "immediate");
    public static final ConfigKey<Boolean> FILE_HEADER = ConfigKey.boolKey("fileHeader", false,
            "Add a header with the file's absolute path.");
    public static final ConfigKey<String> FILE_HEADER_KEY = ConfigKey.stringKey("fileHeaderKey", "file",
            "Name of the absolute-path header.");
    public static final ConfigKey<Boolean> BASENAME_HEADER = ConfigKey.boolKey("basenameHeader", false,
            "Add a header with the file's name.");
    public static final ConfigKey<String> BASENAME_HEADER_KEY = ConfigKey.stringKey("basenameHeaderKey",
            "basename", "Name of the file-name header.");
    public static final ConfigKey<String> INCLUDE_PATTERN = ConfigKey.stringKey("includePattern", "^.*$",
            "Regular expression a file name must match to be read.");
    public static final ConfigKey<String> IGNORE_PATTERN = ConfigKey.stringKey("ignorePattern", "^$",
            "Regular expression of file names not to read.");
    public static final ConfigKey<String> TRACKER_DIR = ConfigKey.stringKey("trackerDir", ".flumespool",
            "Directory for the position record and done markers; relative paths are inside spoolDir.");
    public static final ConfigKey<String> TRACKING_POLICY = ConfigKey.choiceKey("trackingPolicy", "rename",
            "How a fully read file is marked done: rename (add fileSuffix) or tracker_dir (a marker file"
                    + " in trackerDir).", "rename", "tracker_dir");
    public static final ConfigKey<String> CONSUME_ORDER = ConfigKey.choiceKey("consumeOrder", "oldest",
            "Which file to read next: oldest, youngest or random.", "oldest", "youngest", "random");
    public static final ConfigKey<Long> POLL_DELAY = ConfigKey.longKey("pollDelay", 500L,
            "Milliseconds between looks at the directory for new files.").atLeast(1);
    public static final ConfigKey<Boolean> RECURSIVE = ConfigKey.boolKey("recursiveDirectorySearch", false,
            "Also read files in subdirectories.");
    public static final ConfigKey<Integer> MAX_BACKOFF = ConfigKey.intKey("maxBackoff", 4000,
            "Longest wait in ms before retrying a batch the channel refused.").atLeast(1);
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
            "Most events committed in one transaction.").atLeast(1);
    public static final ConfigKey<String> INPUT_CHARSET = ConfigKey.stringKey("inputCharset", "UTF-8",
            "Character set of the files (LINE deserializer).");
    public static final ConfigKey<String> DECODE_ERROR_POLICY = ConfigKey.choiceKey("decodeErrorPolicy", "FAIL",
            "What to do with bytes invalid in inputCharset: FAIL, REPLACE or IGNORE.", "FAIL", "REPLACE", "IGNORE");
    public static final ConfigKey<String> DESERIALIZER = ConfigKey.stringKey("deserializer", "LINE",
            "How a file becomes events: LINE, BLOB, AVRO, or the $Builder class of an Apache Flume EventDeserializer"
                    + " in plugins.d (its keys under deserializer.).");
    public static final ConfigKey<Integer> MAX_LINE_LENGTH = ConfigKey.intKey("deserializer.maxLineLength", 2048,
            "Characters after which a line is split into another event (LINE).").atLeast(1);
    public static final ConfigKey<String> OUTPUT_CHARSET = ConfigKey.stringKey("deserializer.outputCharset",
            "UTF-8", "Character set of the event bodies (LINE).");
    public static final ConfigKey<Integer> MAX_BLOB_LENGTH = ConfigKey.intKey("deserializer.maxBlobLength",
            100_000_000, "Bytes after which a file is split into another event (BLOB).").atLeast(1);
    public static final ConfigKey<String> SCHEMA_TYPE = ConfigKey.choiceKey("deserializer.schemaType", "HASH",
            "How AVRO events name their schema: HASH (flume.avro.schema.hash) or LITERAL"
                    + " (flume.avro.schema.literal).", "HASH", "LITERAL");
    public static final ConfigKey<Integer> BUFFER_MAX_LINES = ConfigKey.intKey("bufferMaxLines", null,
            "Deprecated in Apache Flume and ignored.");
    public static final ConfigKey<Integer> BUFFER_MAX_LINE_LENGTH = ConfigKey.intKey("bufferMaxLineLength", null,
            "Deprecated in Apache Flume and ignored; use deserializer.maxLineLength.");

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "spooldir")
            .otherNames("org.apache.flume.source.SpoolDirectorySource")
            .keys(SPOOL_DIR, FILE_SUFFIX, DELETE_POLICY, FILE_HEADER, FILE_HEADER_KEY, BASENAME_HEADER,
                BASENAME_HEADER_KEY, INCLUDE_PATTERN, IGNORE_PATTERN, TRACKER_DIR, TRACKING_POLICY, CONSUME_ORDER,
                POLL_DELAY, RECURSIVE, MAX_BACKOFF, BATCH_SIZE, INPUT_CHARSET, DECODE_ERROR_POLICY, DESERIALIZER,
                MAX_LINE_LENGTH, OUTPUT_CHARSET, MAX_BLOB_LENGTH, SCHEMA_TYPE, BUFFER_MAX_LINES,
                BUFFER_MAX_LINE_LENGTH)
            .description("Reads the files dropped in a directory, line by line, as blobs or as Avro records, and marks each file done once all of it is committed.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        SpoolSettings settings = settings(context);
        if (settings == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new SpoolDirectorySource(context.name(), context.label(), settings, counter);
    }

    /** Reads and checks every key; reports each problem and returns null when there was any. */
    static SpoolSettings settings(ComponentContext context) {
        boolean ok = true;
        String dirValue = context.get(SPOOL_DIR);
        Path spoolDir = path(context, SPOOL_DIR, dirValue);
        String trackerValue = context.get(TRACKER_DIR);
        Path trackerDir = path(context, TRACKER_DIR, trackerValue);
        if (spoolDir != null && trackerDir != null) {
            spoolDir = spoolDir.toAbsolutePath().normalize();
            trackerDir = spoolDir.resolve(trackerDir).normalize();
        }
        String suffix = context.get(FILE_SUFFIX);
        if (suffix != null && suffix.isEmpty()) {
            context.problem(FILE_SUFFIX.name(), suffix, "must not be empty",
                    "set fileSuffix to a suffix such as .COMPLETED");
            ok = false;
        }
        Pattern include = pattern(context, INCLUDE_PATTERN);
        Pattern ignore = pattern(context, IGNORE_PATTERN);
        Charset input = charset(context, INPUT_CHARSET);
        Charset output = charset(context, OUTPUT_CHARSET);
        SpoolDeserializerFactory[] plugin = new SpoolDeserializerFactory[1];
        SpoolSettings.DeserializerType type = deserializer(context, plugin);
        if (context.raw(BUFFER_MAX_LINES.name()).isPresent() || context.raw(BUFFER_MAX_LINE_LENGTH.name()).isPresent()) {
            context.warn(BUFFER_MAX_LINES.name(), "bufferMaxLines and bufferMaxLineLength are deprecated and ignored,"
                    + " as in Apache Flume; use batchSize and deserializer.maxLineLength");
        }
        Integer maxBackoff = context.get(MAX_BACKOFF);
        Integer batchSize = context.get(BATCH_SIZE);
        Long pollDelay = context.get(POLL_DELAY);
        Integer maxLine = context.get(MAX_LINE_LENGTH);
        Integer maxBlob = context.get(MAX_BLOB_LENGTH);
        String deletePolicy = context.get(DELETE_POLICY);
        String tracking = context.get(TRACKING_POLICY);
        String order = context.get(CONSUME_ORDER);
        String decode = context.get(DECODE_ERROR_POLICY);
        String schemaType = context.get(SCHEMA_TYPE);
        if (!ok || spoolDir == null || trackerDir == null || suffix == null || include == null || ignore == null
                || input == null || output == null || type == null || maxBackoff == null || batchSize == null
                || pollDelay == null || maxLine == null || maxBlob == null || deletePolicy == null || tracking == null
                || order == null || decode == null || schemaType == null || maxBackoff < 1 || batchSize < 1
                || pollDelay < 1 || maxLine < 1 || maxBlob < 1) {
            return null;
        }
        return new SpoolSettings(spoolDir, suffix, deletePolicy.equals("immediate"),
                context.get(FILE_HEADER) ? context.get(FILE_HEADER_KEY) : null,
                context.get(BASENAME_HEADER) ? context.get(BASENAME_HEADER_KEY) : null,
                include, ignore, trackerDir, tracking.equals("tracker_dir"),
                SpoolSettings.ConsumeOrder.valueOf(order.toUpperCase(Locale.ROOT)), pollDelay,
                context.get(RECURSIVE), maxBackoff, batchSize, input,
                DecodeErrorPolicy.valueOf(decode.toUpperCase(Locale.ROOT)), type, maxLine, output, maxBlob,
                AvroContainerDeserializer.SchemaType.valueOf(schemaType.toUpperCase(Locale.ROOT)), plugin[0]);
    }

    private static Path path(ComponentContext context, ConfigKey<String> key, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.isBlank()) {
                throw new InvalidPathException(value, "empty");
            }
            return Path.of(value.trim());
        } catch (InvalidPathException e) {
            context.problem(key.name(), value, "is not a valid path", "set " + key.name() + " to a directory path");
            return null;
        }
    }

    private static Pattern pattern(ComponentContext context, ConfigKey<String> key) {
        String value = context.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            context.problem(key.name(), value, "is not a valid regular expression (" + e.getDescription() + ")",
                    "fix the expression, e.g. ^.*\\.log$");
            return null;
        }
    }

    private static Charset charset(ComponentContext context, ConfigKey<String> key) {
        String value = context.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Charset.forName(value.trim());
        } catch (IllegalArgumentException e) {
            context.problem(key.name(), value, "is not a character set this JVM supports",
                    "use a charset name such as UTF-8 or ISO-8859-1");
            return null;
        }
    }

    /** The deserializer's type; for a plugin's class, also its factory in {@code plugin[0]}. */
    private static SpoolSettings.DeserializerType deserializer(ComponentContext context,
            SpoolDeserializerFactory[] plugin) {
        String value = context.get(DESERIALIZER);
        if (value == null) {
            return null;
        }
        switch (value.trim()) {
            case "org.apache.flume.serialization.LineDeserializer$Builder":
                return SpoolSettings.DeserializerType.LINE;
            case "org.apache.flume.serialization.AvroEventDeserializer$Builder":
                return SpoolSettings.DeserializerType.AVRO;
            case "org.apache.flume.sink.solr.morphline.BlobDeserializer$Builder":
                return SpoolSettings.DeserializerType.BLOB;
            default:
                break;
        }
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (!upper.equals("PLUGIN")) {
            for (SpoolSettings.DeserializerType t : SpoolSettings.DeserializerType.values()) {
                if (t.name().equals(upper)) {
                    return t;
                }
            }
        }
        // a plugin's deserializer class (plugins.d, e.g. an Apache Flume EventDeserializer$Builder),
        // adapted by a resolver, which reports a class it finds but cannot use
        int before = DefaultComponentContext.problemCount(context);
        Optional<SpoolDeserializerFactory> p = DefaultComponentContext.registryOf(context)
                .part(SpoolDeserializerFactory.class, value.trim(), context, DESERIALIZER.name());
        if (p.isPresent()) {
            plugin[0] = p.get();
            return SpoolSettings.DeserializerType.PLUGIN;
        }
        if (DefaultComponentContext.problemCount(context) == before) {
            context.problem(DESERIALIZER.name(), value, "is not a deserializer Sluice knows",
                    "use LINE, BLOB or AVRO (or Apache Flume's class names for them), or the class name of an"
                            + " Apache Flume EventDeserializer$Builder installed in plugins.d");
        }
        return null;
    }
}
