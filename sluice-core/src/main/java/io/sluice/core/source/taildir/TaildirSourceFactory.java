package io.sluice.core.source.taildir;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.PollBackoff;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code TAILDIR} source ({@code org.apache.flume.source.taildir.TaildirSource}), with Apache
 * Flume 1.11's keys and defaults:
 * <ul>
 * <li>{@code filegroups} (required): space-separated names of file groups;</li>
 * <li>{@code filegroups.<group>} (required per group): a directory and a regular expression on
 *     file names, written as one path, e.g. {@code /var/log/app/app\.log.*}; the directory must
 *     exist;</li>
 * <li>{@code positionFile} ({@code ~/.flume/taildir_position.json}): Apache Flume's JSON position
 *     file (see {@link PositionFile});</li>
 * <li>{@code headers.<group>.<key>}: a header with a fixed value on every event of the group;</li>
 * <li>{@code byteOffsetHeader} (false): add the line's byte offset in header {@code byteoffset};</li>
 * <li>{@code skipToEnd} (false): start files the position file does not know at their end;</li>
 * <li>{@code idleTimeout} (120000 ms): close a file that did not grow for this long (it is opened
 *     again when it grows); a file renamed away is forgotten once read and idle this long, counted
 *     from its rotation at the earliest;</li>
 * <li>{@code writePosInterval} (3000 ms): the position file is forced to disk at this interval
 *     (it is replaced after every committed batch regardless);</li>
 * <li>{@code batchSize} (100) lines per transaction, {@code maxBatchCount} (unlimited) batches
 *     from one file before the next file's turn;</li>
 * <li>{@code backoffSleepIncrement} (1000 ms) and {@code maxBackoffSleep} (5000 ms): the wait
 *     when no file had anything new;</li>
 * <li>{@code cachePatternMatching} (true): list a directory again only when it changed;</li>
 * <li>{@code fileHeader} (false) / {@code fileHeaderKey} ({@code file}): absolute path header.</li>
 * </ul>
 * Sluice adds {@code maxLineLength} (1048576 bytes): a longer line goes to the source's
 * {@code deadLetter.channel} (its first {@code maxLineLength} bytes, the rest of the line skipped)
 * or, without one, is split into several events, as the {@code exec} source does; and
 * {@code readerThreads} (2): how many files are read at once, each by one thread (see
 * {@link TaildirSource}).
 */
public final class TaildirSourceFactory implements ComponentFactory<Source> {
    /** The header {@code byteOffsetHeader} adds, Apache Flume's name. */
    public static final String BYTE_OFFSET_HEADER_KEY = "byteoffset";

    public static final ConfigKey<List<String>> FILE_GROUPS = ConfigKey.listKey("filegroups", null,
            "Space-separated names of the file groups.").required();
    public static final ConfigKey<String> FILE_GROUP = ConfigKey.stringKey("filegroups.", null,
            "filegroups.<group>: a directory and a regular expression on file names, e.g. /var/log/app/.*\\.log.");
    public static final ConfigKey<String> POSITION_FILE = ConfigKey.stringKey("positionFile",
            "~/.flume/taildir_position.json", "JSON file (Apache Flume's format) with the position in every file.");
    public static final ConfigKey<String> HEADERS = ConfigKey.stringKey("headers.", null,
            "headers.<group>.<key>: a header with this value on every event of the group.");
    public static final ConfigKey<Boolean> BYTE_OFFSET_HEADER = ConfigKey.boolKey("byteOffsetHeader", false,
            "Add the line's byte offset in the file as header byteoffset.");
    public static final ConfigKey<Boolean> SKIP_TO_END = ConfigKey.boolKey("skipToEnd", false,
            "Start files the position file does not know at their end instead of their start.");
    public static final ConfigKey<Long> IDLE_TIMEOUT = ConfigKey.longKey("idleTimeout", 120_000L,
            "Milliseconds after which a file that did not grow is closed.").atLeast(1);
    public static final ConfigKey<Long> WRITE_POS_INTERVAL = ConfigKey.longKey("writePosInterval", 3000L,
            "Milliseconds between forcing the position file to disk (it is replaced after every commit).").atLeast(1);
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
            "Most lines committed in one transaction.").atLeast(1);
    public static final ConfigKey<Long> MAX_BATCH_COUNT = ConfigKey.longKey("maxBatchCount", Long.MAX_VALUE,
            "Most batches read from one file before the next file gets its turn.").atLeast(1);
    public static final ConfigKey<Boolean> CACHE_PATTERN_MATCHING = ConfigKey.boolKey("cachePatternMatching", true,
            "List a directory again only when its modification time changed.");
    public static final ConfigKey<Boolean> FILE_HEADER = ConfigKey.boolKey("fileHeader", false,
            "Add a header with the file's absolute path.");
    public static final ConfigKey<String> FILE_HEADER_KEY = ConfigKey.stringKey("fileHeaderKey", "file",
            "Name of the absolute-path header.");
    public static final ConfigKey<Integer> MAX_LINE_LENGTH = ConfigKey.intKey("maxLineLength", 1048576,
            "Sluice only: most bytes of one line; a longer line goes to deadLetter.channel (its first maxLineLength"
                    + " bytes, the rest of the line skipped), or is split into several events without one.")
            .between(1, LineLimit.UNLIMITED);
    /** The most reader threads a source may ask for. */
    static final int MAX_READER_THREADS = 64;
    public static final ConfigKey<Integer> READER_THREADS = ConfigKey.intKey("readerThreads", 2,
            "Sluice only: most files read at once, each on its own thread and in its own transactions (lines of one"
                    + " file stay in order, on one thread at a time); 1 reads the files one after another on the source's"
                    + " thread. With a file channel that commits positions with each batch the files are read on one"
                    + " thread.")
            .between(1, MAX_READER_THREADS);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "TAILDIR")
            .otherNames("org.apache.flume.source.taildir.TaildirSource")
            .keys(FILE_GROUPS, FILE_GROUP, POSITION_FILE, HEADERS, BYTE_OFFSET_HEADER, SKIP_TO_END, IDLE_TIMEOUT,
                WRITE_POS_INTERVAL, BATCH_SIZE, MAX_BATCH_COUNT, PollBackoff.BACKOFF_SLEEP_INCREMENT,
                PollBackoff.MAX_BACKOFF_SLEEP, CACHE_PATTERN_MATCHING, FILE_HEADER, FILE_HEADER_KEY, MAX_LINE_LENGTH,
                READER_THREADS)
            .description("Follows growing files matched by a regular expression, across rename and copytruncate"
                    + " rotation, keeping committed positions in Apache Flume's JSON position file.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        TaildirSettings settings = settings(context);
        if (settings == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new TaildirSource(context.name(), context.label(), settings, counter, context.clock());
    }

    /** Reads and checks every key; reports each problem and returns null when there was any. */
    static TaildirSettings settings(ComponentContext context) {
        boolean ok = true;
        List<String> names = context.get(FILE_GROUPS);
        Map<String, String> groupValues = context.subProperties(FILE_GROUP.name());
        Map<String, String> headerValues = context.subProperties(HEADERS.name());
        List<TaildirSettings.GroupSpec> groups = new ArrayList<>();
        if (names != null && names.isEmpty()) {
            context.problem(FILE_GROUPS.name(), "", "must name at least one file group",
                    "set filegroups = f1 and filegroups.f1 = /var/log/app/.*\\.log");
            ok = false;
        }
        for (String g : names == null ? List.<String>of() : names) {
            String key = FILE_GROUP.name() + g;
            String value = groupValues.get(g);
            if (value == null || value.isBlank()) {
                context.problem(key, value == null ? "" : value, "is missing: every group in filegroups needs a"
                        + " directory and a file-name pattern", "set " + key + " = /var/log/app/.*\\.log");
                ok = false;
                continue;
            }
            TaildirSettings.GroupSpec spec = group(context, g, key, value.trim(), headers(headerValues, g));
            if (spec == null) {
                ok = false;
            } else {
                groups.add(spec);
            }
        }
        for (String g : groupValues.keySet()) {
            if (names != null && !names.contains(g)) {
                context.warn(FILE_GROUP.name() + g, "group " + g + " is not listed in filegroups and is ignored");
            }
        }
        for (String h : headerValues.keySet()) {
            int dot = h.indexOf('.');
            String g = dot < 0 ? h : h.substring(0, dot);
            if (dot <= 0 || dot == h.length() - 1) {
                context.problem(HEADERS.name() + h, headerValues.get(h), "must be headers.<group>.<header name>",
                        "write e.g. headers.f1.topic = app");
                ok = false;
            } else if (names != null && !names.contains(g)) {
                context.warn(HEADERS.name() + h, "group " + g + " is not listed in filegroups; the header is unused");
            }
        }
        Path positionFile = positionFile(context);
        Integer batchSize = context.get(BATCH_SIZE);
        Long maxBatchCount = context.get(MAX_BATCH_COUNT);
        Long idle = context.get(IDLE_TIMEOUT);
        Long writePos = context.get(WRITE_POS_INTERVAL);
        Boolean skipToEnd = context.get(SKIP_TO_END);
        Boolean byteOffset = context.get(BYTE_OFFSET_HEADER);
        Boolean cache = context.get(CACHE_PATTERN_MATCHING);
        Boolean fileHeader = context.get(FILE_HEADER);
        String fileHeaderKey = context.get(FILE_HEADER_KEY);
        PollBackoff backoff = PollBackoff.read(context);
        Integer maxLineLength = context.get(MAX_LINE_LENGTH);
        if (maxLineLength == null || maxLineLength < 1 || maxLineLength > LineLimit.UNLIMITED) {
            return null;
        }
        Integer readerThreads = context.get(READER_THREADS);
        if (readerThreads == null || readerThreads < 1 || readerThreads > MAX_READER_THREADS) {
            return null;
        }
        if (!ok || names == null || positionFile == null || batchSize == null || maxBatchCount == null || idle == null
                || writePos == null || skipToEnd == null || byteOffset == null || cache == null || fileHeader == null
                || fileHeaderKey == null || batchSize < 1 || maxBatchCount < 1 || idle < 1 || writePos < 1) {
            return null;
        }
        return new TaildirSettings(groups, positionFile, skipToEnd, idle, writePos, batchSize, maxBatchCount, backoff,
                fileHeader ? fileHeaderKey : null, byteOffset, cache, maxLineLength, readerThreads);
    }

    private static Map<String, String> headers(Map<String, String> all, String group) {
        Map<String, String> out = new LinkedHashMap<>();
        String prefix = group + ".";
        all.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static TaildirSettings.GroupSpec group(ComponentContext context, String name, String key, String value,
            Map<String, String> headers) {
        int slash = value.lastIndexOf('/');
        if (slash < 0 || slash == value.length() - 1) {
            context.problem(key, value, "must be a directory followed by a regular expression on file names",
                    "write e.g. " + key + " = /var/log/app/.*\\.log");
            return null;
        }
        String regex = value.substring(slash + 1);
        Path dir;
        try {
            dir = Path.of(slash == 0 ? "/" : value.substring(0, slash)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            context.problem(key, value, "does not start with a valid directory path", "fix the directory part");
            return null;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            context.problem(key, value, "ends with an invalid regular expression (" + e.getDescription() + ")",
                    "fix the part after the last /, e.g. .*\\.log");
            return null;
        }
        if (!Files.isDirectory(dir)) {
            context.problem(key, value, "names directory " + dir + ", which does not exist",
                    "create the directory or fix the path (Apache Flume refuses it too)");
            return null;
        }
        return new TaildirSettings.GroupSpec(name, dir, regex, headers);
    }

    private static Path positionFile(ComponentContext context) {
        String value = context.get(POSITION_FILE);
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.equals("~") || v.startsWith("~/")) {
            v = System.getProperty("user.home") + v.substring(1);
        }
        try {
            if (v.isEmpty()) {
                throw new InvalidPathException(value, "empty");
            }
            Path p = Path.of(v).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                context.problem(POSITION_FILE.name(), value, "is a directory", "name a file, e.g. "
                        + p.resolve("taildir_position.json"));
                return null;
            }
            return p;
        } catch (InvalidPathException e) {
            context.problem(POSITION_FILE.name(), value, "is not a valid path",
                    "set positionFile to a file path such as /var/lib/sluice/taildir_position.json");
            return null;
        }
    }
}
