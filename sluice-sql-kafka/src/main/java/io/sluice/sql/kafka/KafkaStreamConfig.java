package io.sluice.sql.kafka;

import io.sluice.api.text.DidYouMean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import static java.util.Objects.requireNonNull;

/**
 * The typed configuration of one KAFKA stream, parsed from its PROPERTIES at once. The properties
 * are the Kafka consumer's own settings, spelled as Kafka spells them; the stream sets some itself:
 *
 * <ul>
 *   <li>{@code bootstrap.servers}: required.</li>
 *   <li>{@code group.id}: required; every server that shares the stream's partitions names the same
 *       group.</li>
 *   <li>{@code auto.commit.interval.ms} (default 5000): how often the offsets below which every window
 *       has been emitted are committed. Kafka's own automatic commit is never used:
 *       {@code enable.auto.commit = true} is refused.</li>
 *   <li>{@code auto.offset.reset} (default {@code earliest}, not Kafka's {@code latest}): where a
 *       group with no committed offset starts.</li>
 *   <li>{@code partition.assignment.strategy} (default the cooperative sticky assignor), so a server
 *       joining or leaving moves only the partitions that change hands.</li>
 *   <li>{@code key.columns}: not a consumer key; the columns the producers key records by, so that
 *       the engine knows a GROUP BY over them keeps each group in one partition.</li>
 *   <li>Keys and values are read as bytes: {@code key.deserializer} and {@code value.deserializer}
 *       are refused (the stream's EVENT FORMAT reads the value).</li>
 * </ul>
 * Immutable.
 */
record KafkaStreamConfig(String topic, Map<String, Object> consumer, long commitIntervalMs) {
    static final String BOOTSTRAP = ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG;
    static final String GROUP = ConsumerConfig.GROUP_ID_CONFIG;
    static final String COMMIT_INTERVAL = ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG;
    static final long DEFAULT_COMMIT_INTERVAL_MS = 5_000;
    /** Not a Kafka key: the columns producers key records by, which the engine reads (see rtsql.md). */
    static final String KEY_COLUMNS = "key.columns";

    KafkaStreamConfig {
        requireNonNull(topic, "topic is null");
        consumer = Map.copyOf(consumer);
    }

    /** Every problem of a stream's properties, each naming the key, the value, the rule and the fix. */
    static List<String> check(String topic, Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        parse(topic, properties, problems);
        return problems;
    }

    /** Parses a stream's properties; throws with every problem when there is any. */
    static KafkaStreamConfig parse(String topic, Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        KafkaStreamConfig c = parse(topic, properties, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return c;
    }

    private static KafkaStreamConfig parse(String topic, Map<String, String> properties, List<String> problems) {
        String where = "KAFKA TOPIC '" + topic + "'";
        if (topic.isBlank()) {
            problems.add(where + ": the topic name is empty; name the topic the stream reads");
        }
        Set<String> known = new TreeSet<>(ConsumerConfig.configNames());
        Map<String, Object> consumer = new HashMap<>();
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        long interval = DEFAULT_COMMIT_INTERVAL_MS;
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            String value = e.getValue().trim();
            if (key.equals(KEY_COLUMNS)) {
                continue; // read by the engine: the columns producers key records by
            }
            if (!known.contains(key)) {
                Set<String> names = new TreeSet<>(known);
                names.add(KEY_COLUMNS);
                problems.add(where + ": '" + key + "' is not a Kafka consumer setting" + DidYouMean.suggest(key, names)
                        + "; the stream's PROPERTIES are the consumer's own keys, as Kafka spells them"
                        + " (EVENT FORMAT properties go after EVENT FORMAT)");
                continue;
            }
            switch (key) {
                case ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG:
                    if (!value.equalsIgnoreCase("false")) {
                        problems.add(where + ": 'enable.auto.commit' = '" + value + "': the stream commits offsets"
                                + " itself, only below what every window has emitted (every "
                                + COMMIT_INTERVAL + " ms); remove the key");
                    }
                    continue;
                case ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG:
                case ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG:
                    problems.add(where + ": '" + key + "' = '" + value + "': the stream reads keys and values as"
                            + " bytes and its EVENT FORMAT reads the value; remove the key");
                    continue;
                case COMMIT_INTERVAL:
                    try {
                        interval = Long.parseLong(value);
                    } catch (NumberFormatException ex) {
                        interval = -1;
                    }
                    if (interval < 1) {
                        problems.add(where + ": '" + COMMIT_INTERVAL + "' = '" + value + "': must be a whole number"
                                + " of milliseconds of at least 1 (default " + DEFAULT_COMMIT_INTERVAL_MS + ")");
                    }
                    continue;
                default:
                    consumer.put(key, value);
            }
        }
        if (blank(properties.get(BOOTSTRAP))) {
            problems.add(where + ": '" + BOOTSTRAP + "' is missing; give the brokers, e.g. PROPERTIES ('"
                    + BOOTSTRAP + "' = 'host1:9092,host2:9092', '" + GROUP + "' = 'my-flow')");
        }
        if (blank(properties.get(GROUP))) {
            problems.add(where + ": '" + GROUP + "' is missing; name the consumer group (every server sharing this"
                    + " stream's partitions names the same one), e.g. PROPERTIES ('" + GROUP + "' = 'my-flow')");
        }
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaStreamConfig(topic, consumer, Math.max(1, interval));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
