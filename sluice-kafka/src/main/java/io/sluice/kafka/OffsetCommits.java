package io.sluice.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The synchronous commit that closes a run of asynchronous ones: when partitions are revoked and
 * when a consumer stops, the Kafka source and the Kafka channel commit, and wait for, the offsets
 * they have accepted but may not yet have seen confirmed. Stateless; the consumer is used on the
 * caller's thread.
 */
public final class OffsetCommits {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private OffsetCommits() {
    }

    /**
     * Removes the offsets of {@code partitions} from {@code pending} and commits them, waiting up to
     * 10 s; null when that worked or there was nothing to commit, else a description of the offsets
     * and the failure for the caller's log (those records are read again after a restart).
     */
    public static String commitAndForget(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> pending,
            Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : List.copyOf(partitions)) {
            OffsetAndMetadata o = pending.remove(tp);
            if (o != null) {
                offsets.put(tp, o);
            }
        }
        if (offsets.isEmpty()) {
            return null;
        }
        try {
            consumer.commitSync(offsets, TIMEOUT);
            return null;
        } catch (RuntimeException e) {
            return "offsets " + offsets + ": " + e;
        }
    }
}
