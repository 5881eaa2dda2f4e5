package io.sluice.channel.file;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The typed configuration of a file channel: Apache Flume's keys with Flume's defaults, except that
 * the default directories live under the agent's data directory ({@code <data>/channels/<name>/
 * checkpoint} and {@code .../data}), never in the user's home. Immutable.
 */
public final class FileChannelConfig {
    static final long MAX_FILE_SIZE = 2146435071L;

    public static final ConfigKey<String> CHECKPOINT_DIR = ConfigKey.stringKey("checkpointDir", null,
            "Directory of the checkpoint file. Default: <agent data dir>/channels/<name>/checkpoint.");
    public static final ConfigKey<List<String>> DATA_DIRS = ConfigKey.customKey("dataDirs",
            "a comma-separated list of directories", null, FileChannelConfig::commaList,
            "Comma-separated directories for segment files, used in parallel (one fsync each, concurrently)."
                    + " Default: <agent data dir>/channels/<name>/data.");
    public static final ConfigKey<Boolean> USE_DUAL_CHECKPOINTS = ConfigKey.boolKey("useDualCheckpoints", false,
            "Also write every checkpoint to backupCheckpointDir, used when the main one is damaged.");
    public static final ConfigKey<String> BACKUP_CHECKPOINT_DIR = ConfigKey.stringKey("backupCheckpointDir", null,
            "Directory of the backup checkpoint; required when useDualCheckpoints is true.");
    public static final ConfigKey<Integer> CAPACITY = ConfigKey.intKey("capacity", 1_000_000,
            "Maximum number of events in the channel.").atLeast(1);
    public static final ConfigKey<Integer> TRANSACTION_CAPACITY = ConfigKey.intKey("transactionCapacity", 10_000,
            "Maximum number of puts, and of takes, in one transaction.").atLeast(1);
    public static final ConfigKey<Integer> KEEP_ALIVE = ConfigKey.intKey("keep-alive", 3,
            "Seconds a put waits for room in a full channel before it fails.").atLeast(0);
    public static final ConfigKey<Long> MAX_FILE_SIZE_KEY = ConfigKey.longKey("maxFileSize", MAX_FILE_SIZE,
            "Bytes after which a new segment file is started.").between(4096, MAX_FILE_SIZE);
    public static final ConfigKey<Long> MINIMUM_REQUIRED_SPACE = ConfigKey.longKey("minimumRequiredSpace",
            524_288_000L, "Free bytes each directory must keep; below it puts are refused.").atLeast(0);
    public static final ConfigKey<Long> CHECKPOINT_INTERVAL = ConfigKey.longKey("checkpointInterval", 30_000L,
            "Milliseconds between checkpoints.").atLeast(100);
    public static final ConfigKey<Boolean> CHECKPOINT_ON_CLOSE = ConfigKey.boolKey("checkpointOnClose", true,
            "Write a checkpoint when the channel stops, so the next start replays nothing.");
    public static final ConfigKey<Boolean> FSYNC_PER_TRANSACTION = ConfigKey.boolKey("fsyncPerTransaction", true,
            "Must stay true: a commit returns only after the fsync that covers it (group commit shares one fsync"
                    + " between concurrent transactions). false, Apache Flume's fsync every fsyncInterval seconds, is"
                    + " refused.");
    public static final ConfigKey<Long> EVENT_CACHE_BYTES = ConfigKey.longKey("eventCacheBytes",
            Runtime.getRuntime().maxMemory() / 16,
            "Sluice only: heap bytes of queued events kept in memory so takes need not read them back from"
                    + " disk.").atLeast(0)
            .defaultShownAs("1/16 of the heap (-Xmx)");

    /** Flume keys Sluice reads but does not need: accepted with a warning. */
    static final List<String> IGNORED_FLUME_KEYS = List.of("use-log-replay-v1", "use-fast-replay",
            "compressBackupCheckpoint", "fsyncInterval");

    public static final List<ConfigKey<?>> KEYS = keys();

    private static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> k = new ArrayList<>(List.of(CHECKPOINT_DIR, DATA_DIRS, USE_DUAL_CHECKPOINTS,
                BACKUP_CHECKPOINT_DIR, CAPACITY, TRANSACTION_CAPACITY, KEEP_ALIVE, MAX_FILE_SIZE_KEY,
                MINIMUM_REQUIRED_SPACE, CHECKPOINT_INTERVAL, CHECKPOINT_ON_CLOSE, FSYNC_PER_TRANSACTION,
                EVENT_CACHE_BYTES));
        for (String ignored : IGNORED_FLUME_KEYS) {
            k.add(ConfigKey.stringKey(ignored, null, "Apache Flume key accepted for compatibility; not needed by"
                    + " Sluice and ignored (with a warning)."));
        }
        return List.copyOf(k);
    }

    private final Path checkpointDir;
    private final List<Path> dataDirs;
    private final Path backupCheckpointDir;
    private final int capacity;
    private final int transactionCapacity;
    private final int keepAliveSeconds;
    private final long maxFileSize;
    private final long minimumRequiredSpace;
    private final long checkpointIntervalMillis;
    private final boolean checkpointOnClose;
    private final long eventCacheBytes;

    public FileChannelConfig(Path checkpointDir, List<Path> dataDirs, Path backupCheckpointDir, int capacity,
            int transactionCapacity, int keepAliveSeconds, long maxFileSize, long minimumRequiredSpace,
            long checkpointIntervalMillis, boolean checkpointOnClose, long eventCacheBytes) {
        this.checkpointDir = requireNonNull(checkpointDir, "checkpointDir is null");
        this.dataDirs = List.copyOf(requireNonNull(dataDirs, "dataDirs is null"));
        this.backupCheckpointDir = backupCheckpointDir;
        this.capacity = capacity;
        this.transactionCapacity = transactionCapacity;
        this.keepAliveSeconds = keepAliveSeconds;
        this.maxFileSize = maxFileSize;
        this.minimumRequiredSpace = minimumRequiredSpace;
        this.checkpointIntervalMillis = checkpointIntervalMillis;
        this.checkpointOnClose = checkpointOnClose;
        this.eventCacheBytes = eventCacheBytes;
        if (this.dataDirs.isEmpty()) {
            throw new IllegalArgumentException("dataDirs is empty");
        }
    }

    /** A configuration with defaults for everything but the directories (for tests and tools). */
    public static FileChannelConfig of(Path checkpointDir, List<Path> dataDirs) {
        return new FileChannelConfig(checkpointDir, dataDirs, null, 1_000_000, 10_000, 3, MAX_FILE_SIZE, 0,
                30_000, true, 64L * 1024 * 1024);
    }

    /**
     * Reads every key, reporting each problem to {@code ctx}; returns null when a cross-key rule is
     * broken (a bad single value is reported by {@code ctx} itself, which then refuses the agent).
     */
    static FileChannelConfig read(ComponentContext ctx) {
        return read(ctx, null);
    }

    /**
     * As {@link #read(ComponentContext)}, but with the capacity given by the caller instead of the
     * {@code capacity} key when {@code capacityOverride} is not null (a spillable memory channel sizes
     * its overflow with {@code overflowCapacity}).
     */
    public static FileChannelConfig read(ComponentContext ctx, Integer capacityOverride) {
        String cp = ctx.get(CHECKPOINT_DIR);
        List<String> dd = ctx.get(DATA_DIRS);
        boolean dual = ctx.get(USE_DUAL_CHECKPOINTS);
        String backup = ctx.get(BACKUP_CHECKPOINT_DIR);
        int capacity = capacityOverride != null ? capacityOverride : ctx.get(CAPACITY);
        int txCapacity = ctx.get(TRANSACTION_CAPACITY);
        int keepAlive = ctx.get(KEEP_ALIVE);
        long maxFileSize = ctx.get(MAX_FILE_SIZE_KEY);
        long minSpace = ctx.get(MINIMUM_REQUIRED_SPACE);
        long interval = ctx.get(CHECKPOINT_INTERVAL);
        boolean onClose = ctx.get(CHECKPOINT_ON_CLOSE);
        boolean fsync = ctx.get(FSYNC_PER_TRANSACTION);
        long cache = ctx.get(EVENT_CACHE_BYTES);
        boolean ok = true;
        if (!fsync) {
            ctx.problem(FSYNC_PER_TRANSACTION.name(), ctx.raw(FSYNC_PER_TRANSACTION.name()).orElse("false"),
                    "is not supported: Sluice's file channel fsyncs every commit before it returns, and concurrent"
                            + " commits share one fsync (group commit), so the throughput Apache Flume gains with false"
                            + " comes without giving up durability",
                    "remove fsyncPerTransaction (and fsyncInterval) or set it to true; for a channel that may lose"
                            + " events in a crash, use type = memory");
            ok = false;
        }
        for (String k : IGNORED_FLUME_KEYS) {
            if (ctx.raw(k).isPresent()) {
                ctx.warn(k, "not needed by Sluice's file channel; ignored");
            }
        }
        for (Map.Entry<String, String> e : ctx.subProperties("encryption.").entrySet()) {
            ctx.problem("encryption." + e.getKey(), e.getValue(), "encryption of the file channel is not supported",
                    "remove the encryption.* keys (use an encrypted file system for the data directories)");
            ok = false;
            break;
        }
        if (txCapacity > capacity) {
            String capacityKey = capacityOverride != null ? "overflowCapacity" : "capacity";
            ctx.problem(TRANSACTION_CAPACITY.name(), String.valueOf(txCapacity),
                    "must not exceed " + capacityKey + " (" + capacity + ")",
                    "lower transactionCapacity or raise " + capacityKey);
            ok = false;
        }
        if (dual && (backup == null || backup.isBlank())) {
            ctx.problem(BACKUP_CHECKPOINT_DIR.name(), null, "is required when useDualCheckpoints is true",
                    "set backupCheckpointDir to a directory on another disk, or set useDualCheckpoints = false");
            ok = false;
        }
        if (dd != null && dd.isEmpty()) {
            ctx.problem(DATA_DIRS.name(), ctx.raw(DATA_DIRS.name()).orElse(""), "names no directory",
                    "list one or more directories separated by commas, or remove the key for the default");
            ok = false;
        }
        if (!ok) {
            return null;
        }
        Path cpDir = cp != null ? Paths.get(cp) : null;
        List<Path> dataDirs = new ArrayList<>();
        if (dd != null) {
            for (String d : dd) {
                dataDirs.add(Paths.get(d));
            }
        }
        if (cpDir == null || dataDirs.isEmpty()) {
            Path base = ctx.dataDirectory();
            if (cpDir == null) {
                cpDir = base.resolve("checkpoint");
            }
            if (dataDirs.isEmpty()) {
                dataDirs.add(base.resolve("data"));
            }
        }
        Path backupDir = dual ? Paths.get(backup) : null;
        List<Path> seen = new ArrayList<>();
        seen.add(cpDir.toAbsolutePath().normalize());
        if (backupDir != null) {
            Path b = backupDir.toAbsolutePath().normalize();
            if (seen.contains(b)) {
                ctx.problem(BACKUP_CHECKPOINT_DIR.name(), backup, "must differ from checkpointDir",
                        "put the backup checkpoint in its own directory, ideally on another disk");
                return null;
            }
            seen.add(b);
        }
        for (Path d : dataDirs) {
            Path n = d.toAbsolutePath().normalize();
            if (seen.contains(n)) {
                ctx.problem(DATA_DIRS.name(), String.join(",", dd == null ? List.of(d.toString()) : dd),
                        "directory " + d + " is listed twice or is also a checkpoint directory",
                        "give every data directory and checkpoint directory its own path");
                return null;
            }
            seen.add(n);
        }
        return new FileChannelConfig(cpDir, dataDirs, backupDir, capacity, txCapacity, keepAlive, maxFileSize,
                minSpace, interval, onClose, cache);
    }

    private static List<String> commaList(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) {
            if (!p.trim().isEmpty()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    public Path checkpointDir() {
        return checkpointDir;
    }

    public List<Path> dataDirs() {
        return dataDirs;
    }

    /** The backup checkpoint directory, or null when dual checkpoints are off. */
    public Path backupCheckpointDir() {
        return backupCheckpointDir;
    }

    public int capacity() {
        return capacity;
    }

    public int transactionCapacity() {
        return transactionCapacity;
    }

    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    public long minimumRequiredSpace() {
        return minimumRequiredSpace;
    }

    public long checkpointIntervalMillis() {
        return checkpointIntervalMillis;
    }

    public boolean checkpointOnClose() {
        return checkpointOnClose;
    }

    public long eventCacheBytes() {
        return eventCacheBytes;
    }

    public FileChannelConfig withCapacity(int newCapacity, int newTransactionCapacity) {
        return new FileChannelConfig(checkpointDir, dataDirs, backupCheckpointDir, newCapacity, newTransactionCapacity,
                keepAliveSeconds, maxFileSize, minimumRequiredSpace, checkpointIntervalMillis, checkpointOnClose,
                eventCacheBytes);
    }

    public FileChannelConfig withBackup(Path backup) {
        return new FileChannelConfig(checkpointDir, dataDirs, backup, capacity, transactionCapacity, keepAliveSeconds,
                maxFileSize, minimumRequiredSpace, checkpointIntervalMillis, checkpointOnClose, eventCacheBytes);
    }

    public FileChannelConfig withLimits(long newMaxFileSize, long newMinimumRequiredSpace, long newCheckpointMillis,
            long newCacheBytes, int newKeepAlive) {
        return new FileChannelConfig(checkpointDir, dataDirs, backupCheckpointDir, capacity, transactionCapacity,
                newKeepAlive, newMaxFileSize, newMinimumRequiredSpace, newCheckpointMillis, checkpointOnClose,
                newCacheBytes);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileChannelConfig)) {
            return false;
        }
        FileChannelConfig c = (FileChannelConfig) o;
        return checkpointDir.equals(c.checkpointDir) && dataDirs.equals(c.dataDirs)
                && Objects.equals(backupCheckpointDir, c.backupCheckpointDir) && capacity == c.capacity
                && transactionCapacity == c.transactionCapacity && keepAliveSeconds == c.keepAliveSeconds
                && maxFileSize == c.maxFileSize && minimumRequiredSpace == c.minimumRequiredSpace
                && checkpointIntervalMillis == c.checkpointIntervalMillis && checkpointOnClose == c.checkpointOnClose
                && eventCacheBytes == c.eventCacheBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(checkpointDir, dataDirs, backupCheckpointDir, capacity, transactionCapacity);
    }

    @Override
    public String toString() {
        return "FileChannelConfig{checkpointDir=" + checkpointDir + ", dataDirs=" + dataDirs + ", backupCheckpointDir="
                + backupCheckpointDir + ", capacity=" + capacity + ", transactionCapacity=" + transactionCapacity + "}";
    }
}
