package io.sluice.channel.file.spillable;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.channel.file.FileChannelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed configuration of a {@code SPILLABLEMEMORY} channel: Apache Flume 1.11's keys and
 * defaults, plus the file channel's keys for the overflow (whose {@code capacity} is
 * {@code overflowCapacity}). Immutable.
 */
public final class SpillableMemoryConfig {
    public static final ConfigKey<Integer> MEMORY_CAPACITY = ConfigKey.intKey("memoryCapacity", 10_000,
            "The most events held in memory; 0 sends every event to the overflow.").atLeast(0);
    public static final ConfigKey<Integer> OVERFLOW_CAPACITY = ConfigKey.intKey("overflowCapacity", 100_000_000,
            "The most events held in the overflow file channel; 0 turns the overflow off (then a full memory"
                    + " refuses puts).").atLeast(0);
    public static final ConfigKey<Integer> OVERFLOW_TIMEOUT = ConfigKey.intKey("overflowTimeout", 3,
            "Seconds a put commit waits for room in memory before it goes to the overflow (or, without"
                    + " overflow, fails as full); also how long a commit waits for room in a full overflow.")
            .atLeast(0);
    public static final ConfigKey<Integer> OVERFLOW_DEACTIVATION_THRESHOLD = ConfigKey.intKey(
            "overflowDeactivationThreshold", 5,
            "Percent of memoryCapacity that must be free again before puts wait overflowTimeout for memory again;"
                    + " until then a put that does not fit in memory at once goes to the overflow at once.")
            .between(0, 100);
    public static final ConfigKey<Long> BYTE_CAPACITY = ConfigKey.longKey("byteCapacity",
            (long) (Runtime.getRuntime().maxMemory() * 0.8),
            "The most event body bytes held in memory, counted in units of avgEventSize.").atLeast(0)
            .defaultShownAs("80% of the heap (-Xmx)");
    public static final ConfigKey<Integer> BYTE_CAPACITY_BUFFER_PERCENTAGE = ConfigKey.intKey(
            "byteCapacityBufferPercentage", 20, "Percent of byteCapacity kept free for headers and overhead.")
            .between(0, 100);
    public static final ConfigKey<Integer> AVG_EVENT_SIZE = ConfigKey.intKey("avgEventSize", 500,
            "Bytes of body one unit of byteCapacity stands for: an event uses ceil(body length / avgEventSize)"
                    + " units, at least one.").atLeast(1);
    /** Apache Flume's spillable channel sets the file channel's capacity and keep-alive itself. */
    static final ConfigKey<String> CAPACITY_IGNORED = ConfigKey.stringKey("capacity", null,
            "Ignored, as in Apache Flume: the limits are memoryCapacity and overflowCapacity.");
    static final ConfigKey<String> KEEP_ALIVE_IGNORED = ConfigKey.stringKey("keep-alive", null,
            "Ignored, as in Apache Flume: overflowTimeout says how long a put waits.");

    static final List<ConfigKey<?>> KEYS = keys();

    private static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> k = new ArrayList<>(List.of(MEMORY_CAPACITY, OVERFLOW_CAPACITY, OVERFLOW_TIMEOUT,
                OVERFLOW_DEACTIVATION_THRESHOLD, BYTE_CAPACITY, BYTE_CAPACITY_BUFFER_PERCENTAGE, AVG_EVENT_SIZE,
                CAPACITY_IGNORED, KEEP_ALIVE_IGNORED));
        for (ConfigKey<?> fileKey : FileChannelConfig.KEYS) {
            if (!fileKey.name().equals("capacity") && !fileKey.name().equals("keep-alive")) {
                k.add(fileKey);
            }
        }
        return List.copyOf(k);
    }

    private final int memoryCapacity;
    private final int overflowCapacity;
    private final int overflowTimeoutSeconds;
    private final int overflowDeactivationPercent;
    private final long byteCapacityUnits;
    private final int avgEventSize;
    private final int transactionCapacity;
    private final FileChannelConfig overflow;

    /**
     * @param byteCapacityUnits how many units of {@code avgEventSize} bytes memory may hold
     *     ({@code Long.MAX_VALUE} for no limit)
     * @param overflow the overflow's file channel configuration; null when the overflow is off
     */
    public SpillableMemoryConfig(int memoryCapacity, int overflowCapacity, int overflowTimeoutSeconds,
            int overflowDeactivationPercent, long byteCapacityUnits, int avgEventSize, int transactionCapacity,
            FileChannelConfig overflow) {
        if (memoryCapacity < 0) {
            throw new IllegalArgumentException("memoryCapacity: " + memoryCapacity + " (expected: >= 0)");
        }
        if (memoryCapacity == 0 && overflow == null) {
            throw new IllegalArgumentException("memoryCapacity and overflowCapacity are both 0");
        }
        if (avgEventSize < 1) {
            throw new IllegalArgumentException("avgEventSize: " + avgEventSize + " (expected: > 0)");
        }
        if (transactionCapacity < 1) {
            throw new IllegalArgumentException("transactionCapacity: " + transactionCapacity + " (expected: > 0)");
        }
        this.memoryCapacity = memoryCapacity;
        this.overflowCapacity = overflow == null ? 0 : overflowCapacity;
        this.overflowTimeoutSeconds = overflowTimeoutSeconds;
        this.overflowDeactivationPercent = overflowDeactivationPercent;
        this.byteCapacityUnits = byteCapacityUnits;
        this.avgEventSize = avgEventSize;
        this.transactionCapacity = transactionCapacity;
        this.overflow = overflow;
    }

    /** Reads every key, reporting problems to {@code ctx}; null when the channel cannot be built. */
    static SpillableMemoryConfig read(ComponentContext ctx) {
        int memoryCapacity = ctx.get(MEMORY_CAPACITY);
        int overflowCapacity = ctx.get(OVERFLOW_CAPACITY);
        int timeout = ctx.get(OVERFLOW_TIMEOUT);
        int threshold = ctx.get(OVERFLOW_DEACTIVATION_THRESHOLD);
        long byteCapacity = ctx.get(BYTE_CAPACITY);
        int buffer = ctx.get(BYTE_CAPACITY_BUFFER_PERCENTAGE);
        int avg = ctx.get(AVG_EVENT_SIZE);
        int txCapacity = ctx.get(FileChannelConfig.TRANSACTION_CAPACITY);
        for (ConfigKey<String> ignored : List.of(CAPACITY_IGNORED, KEEP_ALIVE_IGNORED)) {
            if (ctx.raw(ignored.name()).isPresent()) {
                ctx.warn(ignored.name(), "ignored by a spillable memory channel, as in Apache Flume; "
                        + (ignored == CAPACITY_IGNORED ? "set memoryCapacity and overflowCapacity"
                                : "set overflowTimeout"));
            }
        }
        if (memoryCapacity == 0 && overflowCapacity == 0) {
            ctx.problem(OVERFLOW_CAPACITY.name(), "0", "must not be 0 when memoryCapacity is also 0: the channel"
                    + " could hold nothing", "raise memoryCapacity, overflowCapacity or both");
            return null;
        }
        FileChannelConfig overflow = null;
        if (overflowCapacity > 0) {
            overflow = FileChannelConfig.read(ctx, overflowCapacity);
            if (overflow == null) {
                return null;
            }
            overflow = overflow.withLimits(overflow.maxFileSize(), overflow.minimumRequiredSpace(),
                    overflow.checkpointIntervalMillis(), overflow.eventCacheBytes(), timeout);
        }
        // Apache Flume: units = byteCapacity * (1 - buffer%) / avgEventSize; fewer than one unit means no limit.
        long units = (long) (byteCapacity * (1 - buffer / 100.0)) / avg;
        if (units < 1) {
            units = Long.MAX_VALUE;
        }
        return new SpillableMemoryConfig(memoryCapacity, overflowCapacity, timeout, threshold, units, avg, txCapacity,
                overflow);
    }

    public int memoryCapacity() {
        return memoryCapacity;
    }

    /** 0 when the overflow is off. */
    public int overflowCapacity() {
        return overflowCapacity;
    }

    public int overflowTimeoutSeconds() {
        return overflowTimeoutSeconds;
    }

    public int overflowDeactivationPercent() {
        return overflowDeactivationPercent;
    }

    /** Memory's byte limit in units of {@link #avgEventSize()} bytes; {@code Long.MAX_VALUE} for none. */
    public long byteCapacityUnits() {
        return byteCapacityUnits;
    }

    public int avgEventSize() {
        return avgEventSize;
    }

    public int transactionCapacity() {
        return transactionCapacity;
    }

    /** The overflow's file channel configuration, or null when the overflow is off. */
    public FileChannelConfig overflow() {
        return overflow;
    }

    /** The units of byteCapacity an event with a body of {@code bodyLength} bytes uses (at least 1). */
    long units(int bodyLength) {
        return Math.max(1, (bodyLength + (long) avgEventSize - 1) / avgEventSize);
    }

    @Override
    public String toString() {
        return "SpillableMemoryConfig{memoryCapacity=" + memoryCapacity + ", overflowCapacity=" + overflowCapacity
                + ", overflowTimeout=" + overflowTimeoutSeconds + ", overflowDeactivationThreshold="
                + overflowDeactivationPercent + ", byteCapacityUnits=" + byteCapacityUnits + ", avgEventSize="
                + avgEventSize + ", transactionCapacity=" + transactionCapacity + "}";
    }
}
