package io.sluice.kafka;

import io.sluice.api.config.ComponentContext;
import java.util.Map;
import java.util.Optional;

/**
 * Keys of Apache Flume's Kafka components that no longer mean anything against a Kafka 4 cluster
 * (which has no ZooKeeper) or that Apache Flume itself stopped reading: a configuration that sets one
 * is refused with the key, what happened to it and what to write instead, rather than being run
 * with the setting silently dropped. Stateless and thread-safe.
 */
public final class RemovedKeys {
    /** Removed from every Kafka component: offsets and brokers live in Kafka, not in ZooKeeper. */
    public static final Map<String, String> ZOOKEEPER = Map.of(
            "zookeeperConnect", "Kafka 4 has no ZooKeeper; set kafka.bootstrap.servers to the brokers instead",
            "migrateZookeeperOffsets", "Kafka 4 has no ZooKeeper to migrate offsets from; remove it (offsets"
                    + " are committed to Kafka; move old ones with kafka-consumer-groups --reset-offsets)");

    private RemovedKeys() {
    }

    /** Reports every key of {@code removed} that {@code context} sets; true when there was none. */
    public static boolean check(ComponentContext context, Map<String, String> removed) {
        boolean clean = true;
        for (Map.Entry<String, String> r : removed.entrySet()) {
            Optional<String> v = context.raw(r.getKey());
            if (v.isPresent()) {
                context.problem(r.getKey(), v.get(), "is a removed Apache Flume Kafka key", r.getValue());
                clean = false;
            }
        }
        return clean;
    }
}
