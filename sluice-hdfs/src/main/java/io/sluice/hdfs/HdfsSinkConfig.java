package io.sluice.hdfs;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The typed configuration of one {@code hdfs} sink: every key of Apache Flume 1.11's HDFS sink,
 * with its spelling, default and meaning, plus Sluice's {@code hdfs.hsync} and
 * {@code hdfs.exactlyOnce}. Reading it loads no Hadoop class. Immutable.
 */
record HdfsSinkConfig(
        PathTemplate path,
        PathTemplate filePrefix,
        String fileSuffix,
        String inUsePrefix,
        String inUseSuffix,
        long rollIntervalSeconds,
        long rollSize,
        long rollCount,
        int idleTimeoutSeconds,
        int batchSize,
        String codec,
        FileType fileType,
        String writeFormat,
        int maxOpenFiles,
        Integer minBlockReplicas,
        long callTimeoutMillis,
        int threadsPoolSize,
        int rollTimerPoolSize,
        int closeTries,
        long retryIntervalSeconds,
        PathTemplate.TimeSettings time,
        String kerberosPrincipal,
        String kerberosKeytab,
        String proxyUser,
        boolean useRawLocalFileSystem,
        String serializer,
        boolean hsync,
        boolean exactlyOnce) {

    /** The three file formats of Apache Flume's HDFS sink. */
    enum FileType {
        SEQUENCE_FILE("SequenceFile"), DATA_STREAM("DataStream"), COMPRESSED_STREAM("CompressedStream");

        final String flumeName;

        FileType(String flumeName) {
            this.flumeName = flumeName;
        }

        static Optional<FileType> of(String s) {
            for (FileType t : values()) {
                if (t.flumeName.equalsIgnoreCase(s.trim())) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    static final ConfigKey<String> PATH = ConfigKey.stringKey("hdfs.path", null,
            "Directory URI the files are written under (hdfs://, file://, or any Hadoop FileSystem), with"
                    + " Apache Flume's escapes: %{header}, %Y %m %d %H %M %S %s %t ..., %[localhost] %[IP] %[FQDN].")
            .required();
    static final ConfigKey<String> FILE_PREFIX = ConfigKey.stringKey("hdfs.filePrefix", "FlumeData",
            "Start of every file name (escapes allowed); a counter and the suffix follow.");
    static final ConfigKey<String> FILE_SUFFIX = ConfigKey.stringKey("hdfs.fileSuffix", "",
            "End of every file name, e.g. .avro; when empty a codec's extension (.gz ...) is used.");
    static final ConfigKey<String> IN_USE_PREFIX = ConfigKey.stringKey("hdfs.inUsePrefix", "",
            "Put in front of the name of a file while it is being written.");
    static final ConfigKey<String> IN_USE_SUFFIX = ConfigKey.stringKey("hdfs.inUseSuffix", ".tmp",
            "Put after the name of a file while it is being written.");
    static final ConfigKey<Boolean> EMPTY_IN_USE_SUFFIX = ConfigKey.boolKey("hdfs.emptyInUseSuffix", false,
            "true: files being written carry no in-use suffix (hdfs.inUseSuffix is ignored).");
    static final ConfigKey<Long> ROLL_INTERVAL = ConfigKey.longKey("hdfs.rollInterval", 30L,
            "Seconds after which a file is closed and a new one started; 0: never by time.").atLeast(0);
    static final ConfigKey<Long> ROLL_SIZE = ConfigKey.longKey("hdfs.rollSize", 1024L,
            "Event body bytes after which a file is rolled; 0: never by size.").atLeast(0);
    static final ConfigKey<Long> ROLL_COUNT = ConfigKey.longKey("hdfs.rollCount", 10L,
            "Events after which a file is rolled; 0: never by count.").atLeast(0);
    static final ConfigKey<Integer> IDLE_TIMEOUT = ConfigKey.intKey("hdfs.idleTimeout", 0,
            "Seconds without a write after which a file is closed; 0: never.").atLeast(0);
    static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("hdfs.batchSize", 100,
            "Events taken from the channel per transaction; each batch is flushed to HDFS before it commits.")
            .atLeast(1);
    static final ConfigKey<String> CODEC = ConfigKey.stringKey("hdfs.codeC", null,
            "Compression codec: gzip, bzip2, deflate, snappy, zstd, lz4 (whatever Hadoop loads here), a codec"
                    + " class name, or None. Required with CompressedStream; not allowed with DataStream.");
    static final ConfigKey<String> FILE_TYPE = ConfigKey.stringKey("hdfs.fileType", "SequenceFile",
            "SequenceFile, DataStream (uncompressed, through the serializer) or CompressedStream (with hdfs.codeC).");
    static final ConfigKey<String> WRITE_FORMAT = ConfigKey.stringKey("hdfs.writeFormat", "Writable",
            "SequenceFile records: Writable (BytesWritable values) or Text (Text values); keys are the event"
                    + " timestamp as LongWritable.");
    static final ConfigKey<Integer> MAX_OPEN_FILES = ConfigKey.intKey("hdfs.maxOpenFiles", 5000,
            "Most files open at once; the least recently used one is closed past it.").atLeast(1);
    static final ConfigKey<Integer> MIN_BLOCK_REPLICAS = ConfigKey.intKey("hdfs.minBlockReplicas", null,
            "Replicas a block must have; a file whose pipeline has fewer is rolled (default: the file"
                    + " system's replication).").atLeast(0);
    static final ConfigKey<Long> CALL_TIMEOUT = ConfigKey.longKey("hdfs.callTimeout", 30000L,
            "Milliseconds an HDFS operation (open, write of a batch, flush, close, rename) may take before it"
                    + " is failed and the batch rolled back.").atLeast(1);
    static final ConfigKey<Integer> THREADS_POOL_SIZE = ConfigKey.intKey("hdfs.threadsPoolSize", 10,
            "Threads doing HDFS operations for this sink.").atLeast(1);
    static final ConfigKey<Integer> ROLL_TIMER_POOL_SIZE = ConfigKey.intKey("hdfs.rollTimerPoolSize", 1,
            "Threads closing files on rollInterval, idleTimeout and close retries.").atLeast(1);
    static final ConfigKey<Integer> CLOSE_TRIES = ConfigKey.intKey("hdfs.closeTries", 0,
            "Times a failed close/rename is tried; 0: until it succeeds.").atLeast(0);
    static final ConfigKey<Long> RETRY_INTERVAL = ConfigKey.longKey("hdfs.retryInterval", 180L,
            "Seconds between close/rename tries; 0 or less: try only once.");
    static final ConfigKey<Boolean> ROUND = ConfigKey.boolKey("hdfs.round", false,
            "Round the event time down before the time escapes are expanded.");
    static final ConfigKey<Integer> ROUND_VALUE = ConfigKey.intKey("hdfs.roundValue", 1,
            "Round down to a multiple of this many roundUnits (1-60 for second and minute, 1-24 for hour).");
    static final ConfigKey<String> ROUND_UNIT = ConfigKey.choiceKey("hdfs.roundUnit", "second",
            "Unit of rounding: second, minute or hour.", "second", "minute", "hour");
    static final ConfigKey<String> TIME_ZONE = ConfigKey.stringKey("hdfs.timeZone", null,
            "Time zone the time escapes are expanded in, e.g. America/Los_Angeles (default: the JVM's).");
    static final ConfigKey<Boolean> USE_LOCAL_TIME_STAMP = ConfigKey.boolKey("hdfs.useLocalTimeStamp", false,
            "Use the agent's clock instead of the event's timestamp header for the time escapes.");
    static final ConfigKey<String> KERBEROS_PRINCIPAL = ConfigKey.stringKey("hdfs.kerberosPrincipal", null,
            "Kerberos principal to log in as (with hdfs.kerberosKeytab); _HOST is replaced by this host's name.");
    static final ConfigKey<String> KERBEROS_KEYTAB = ConfigKey.stringKey("hdfs.kerberosKeytab", null,
            "Keytab file of hdfs.kerberosPrincipal.");
    static final ConfigKey<String> PROXY_USER = ConfigKey.stringKey("hdfs.proxyUser", null,
            "User to write as, impersonated by the logged-in user (HDFS must allow the proxying).");
    static final ConfigKey<Boolean> USE_RAW_LOCAL_FILE_SYSTEM = ConfigKey.boolKey("hdfs.useRawLocalFileSystem", false,
            "file:// paths: write without Hadoop's .crc checksum files.");
    static final ConfigKey<String> SERIALIZER = ConfigKey.stringKey("serializer", "TEXT",
            "DataStream and CompressedStream: text, header_and_text, avro_event or a serializer class (Apache"
                    + " Flume plugin serializers included), configured with serializer.*.");
    static final ConfigKey<Boolean> HSYNC = ConfigKey.boolKey("hdfs.hsync", false,
            "Sluice only: hsync (to the datanodes' disks) instead of hflush (to their memory) before each commit.");
    static final ConfigKey<Boolean> EXACTLY_ONCE = ConfigKey.boolKey("hdfs.exactlyOnce", false,
            "Sluice only: commit each batch's channel position to HDFS with its data and skip, after a crash,"
                    + " what HDFS already holds. Needs a file channel whose only consumer is this sink.");

    static final List<ConfigKey<?>> KEYS = List.of(PATH, FILE_PREFIX, FILE_SUFFIX, IN_USE_PREFIX, IN_USE_SUFFIX,
            EMPTY_IN_USE_SUFFIX, ROLL_INTERVAL, ROLL_SIZE, ROLL_COUNT, IDLE_TIMEOUT, BATCH_SIZE, CODEC, FILE_TYPE,
            WRITE_FORMAT, MAX_OPEN_FILES, MIN_BLOCK_REPLICAS, CALL_TIMEOUT, THREADS_POOL_SIZE, ROLL_TIMER_POOL_SIZE,
            CLOSE_TRIES, RETRY_INTERVAL, ROUND, ROUND_VALUE, ROUND_UNIT, TIME_ZONE, USE_LOCAL_TIME_STAMP,
            KERBEROS_PRINCIPAL, KERBEROS_KEYTAB, PROXY_USER, USE_RAW_LOCAL_FILE_SYSTEM, SERIALIZER, HSYNC,
            EXACTLY_ONCE);

    /**
     * Reads and checks every key; reports each problem to {@code context} and returns
     * {@code null} when there was one. The codec is checked later, by {@link Codecs}, since that
     * needs Hadoop.
     */
    static HdfsSinkConfig read(ComponentContext context) {
        boolean ok = true;
        String pathRaw = context.get(PATH);
        PathTemplate path = null;
        if (pathRaw != null) {
            if (pathRaw.isBlank()) {
                context.problem(PATH.name(), pathRaw, "is empty", "set hdfs.path to a directory URI, e.g."
                        + " hdfs://namenode:8020/flume/events/%Y-%m-%d");
                ok = false;
            } else {
                path = parse(context, PATH, pathRaw);
                ok &= path != null;
            }
        } else {
            ok = false;
        }
        PathTemplate prefix = parse(context, FILE_PREFIX, context.get(FILE_PREFIX));
        ok &= prefix != null;
        if (prefix != null && prefix.template().contains("/")) {
            context.problem(FILE_PREFIX.name(), prefix.template(), "contains '/'",
                    "put directories in hdfs.path and keep hdfs.filePrefix a file name");
            ok = false;
        }
        String inUseSuffix = context.get(IN_USE_SUFFIX);
        if (context.get(EMPTY_IN_USE_SUFFIX)) {
            if (context.raw(IN_USE_SUFFIX.name()).isPresent()) {
                context.warn(IN_USE_SUFFIX.name(), "ignored because hdfs.emptyInUseSuffix = true");
            }
            inUseSuffix = "";
        }
        String fileTypeRaw = context.get(FILE_TYPE);
        FileType fileType = FileType.of(fileTypeRaw).orElse(null);
        if (fileType == null) {
            context.problem(FILE_TYPE.name(), fileTypeRaw, "is not a file type",
                    "use SequenceFile, DataStream or CompressedStream");
            ok = false;
        }
        String codec = context.get(CODEC);
        if (codec != null && codec.isBlank()) {
            codec = null;
        }
        if (codec != null && codec.trim().equalsIgnoreCase("none")) {
            codec = null;
        }
        if (fileType == FileType.DATA_STREAM && codec != null) {
            context.problem(CODEC.name(), codec, "is not allowed with hdfs.fileType = DataStream (it writes"
                    + " uncompressed files)", "remove hdfs.codeC, or set hdfs.fileType = CompressedStream");
            ok = false;
        }
        if (fileType == FileType.COMPRESSED_STREAM && codec == null) {
            context.problem(CODEC.name(), context.raw(CODEC.name()).orElse(null),
                    "is required with hdfs.fileType = CompressedStream", "set hdfs.codeC, e.g. gzip");
            ok = false;
        }
        String writeFormat = context.get(WRITE_FORMAT).trim();
        if (fileType == FileType.SEQUENCE_FILE && !writeFormat.equalsIgnoreCase("Writable")
                && !writeFormat.equalsIgnoreCase("Text")) {
            context.problem(WRITE_FORMAT.name(), writeFormat, "is not a SequenceFile write format",
                    "use Writable or Text");
            ok = false;
        }
        boolean round = context.get(ROUND);
        String unitName = context.get(ROUND_UNIT);
        PathTemplate.RoundUnit unit = PathTemplate.RoundUnit.valueOf(unitName.toUpperCase(Locale.ROOT));
        int roundValue = context.get(ROUND_VALUE);
        if (round && (roundValue < 1 || roundValue > unit.max)) {
            context.problem(ROUND_VALUE.name(), String.valueOf(roundValue), "must be between 1 and " + unit.max
                    + " for hdfs.roundUnit = " + unitName, "set hdfs.roundValue to a value from 1 to " + unit.max);
            ok = false;
        }
        String tz = context.get(TIME_ZONE);
        ZoneId zone = ZoneId.systemDefault();
        if (tz != null) {
            try {
                zone = ZoneId.of(tz.trim());
            } catch (DateTimeException e) {
                context.problem(TIME_ZONE.name(), tz, "is not a time zone (" + e.getMessage() + ")",
                        "use a zone id such as UTC or America/Los_Angeles");
                ok = false;
            }
        }
        String principal = blankToNull(context.get(KERBEROS_PRINCIPAL));
        String keytab = blankToNull(context.get(KERBEROS_KEYTAB));
        if ((principal == null) != (keytab == null)) {
            String missing = principal == null ? KERBEROS_PRINCIPAL.name() : KERBEROS_KEYTAB.name();
            context.problem(missing, null, "is required when " + (principal == null ? KERBEROS_KEYTAB.name()
                    : KERBEROS_PRINCIPAL.name()) + " is set", "set both hdfs.kerberosPrincipal and"
                    + " hdfs.kerberosKeytab, or neither");
            ok = false;
        }
        if (keytab != null && !isReadableFile(keytab)) {
            context.problem(KERBEROS_KEYTAB.name(), keytab, "is not a readable file",
                    "point hdfs.kerberosKeytab at the keytab of hdfs.kerberosPrincipal");
            ok = false;
        }
        int batchSize = context.get(BATCH_SIZE);
        long callTimeout = context.get(CALL_TIMEOUT);
        int threads = context.get(THREADS_POOL_SIZE);
        int rollTimers = context.get(ROLL_TIMER_POOL_SIZE);
        int closeTries = context.get(CLOSE_TRIES);
        long retryInterval = context.get(RETRY_INTERVAL);
        if (!ok || fileType == null) {
            return null;
        }
        return new HdfsSinkConfig(path, prefix, context.get(FILE_SUFFIX), context.get(IN_USE_PREFIX), inUseSuffix,
                context.get(ROLL_INTERVAL), context.get(ROLL_SIZE), context.get(ROLL_COUNT), context.get(IDLE_TIMEOUT),
                batchSize, codec == null ? null : codec.trim(), fileType, writeFormat, context.get(MAX_OPEN_FILES),
                context.get(MIN_BLOCK_REPLICAS), callTimeout, threads, rollTimers, closeTries, retryInterval,
                new PathTemplate.TimeSettings(zone, round, unit, roundValue, context.get(USE_LOCAL_TIME_STAMP)),
                principal, keytab, blankToNull(context.get(PROXY_USER)), context.get(USE_RAW_LOCAL_FILE_SYSTEM),
                context.get(SERIALIZER).trim(), context.get(HSYNC), context.get(EXACTLY_ONCE));
    }

    private static PathTemplate parse(ComponentContext context, ConfigKey<String> key, String value) {
        try {
            return PathTemplate.parse(value);
        } catch (IllegalArgumentException e) {
            context.problem(key.name(), value, e.getMessage(), "fix the escape in " + key.name());
            return null;
        }
    }

    private static boolean isReadableFile(String path) {
        try {
            return Files.isReadable(Path.of(path)) && Files.isRegularFile(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Whether a close/rename is retried: Apache Flume tries once when retryInterval is not positive. */
    int effectiveCloseTries() {
        if (retryIntervalSeconds <= 0) {
            return 1;
        }
        return closeTries == 0 ? Integer.MAX_VALUE : closeTries;
    }
}
