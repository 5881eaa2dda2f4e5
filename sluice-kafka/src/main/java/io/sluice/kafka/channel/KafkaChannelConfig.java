package io.sluice.kafka.channel;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.kafka.RemovedKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static java.util.Objects.requireNonNull;

/**
 * The Kafka channel's keys, with Apache Flume 1.11's names, defaults and meaning, read once into an
 * immutable value. Flume reads the poll timeout as {@code kafka.pollTimeout} (its user guide says
 * {@code pollTimeout}): both are accepted. Flume's deprecated {@code topic}, {@code brokerList},
 * {@code groupId} and {@code readSmallestOffset} are still accepted with a warning.
 */
public record KafkaChannelConfig(String bootstrapServers, String topic, String groupId, boolean parseAsFlumeEvent,
        long pollTimeoutMillis, Optional<Integer> defaultPartitionId, Optional<String> partitionIdHeader,
        long offsetCommitIntervalMillis, Map<String, Object> consumerProperties, Map<String, Object> producerProperties) {

    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.stringKey("kafka.bootstrap.servers", null,
            "the Kafka brokers to connect to first, host:port[,host:port...]; required");
    public static final ConfigKey<String> TOPIC = ConfigKey.stringKey("kafka.topic", "flume-channel",
            "the topic that holds the channel's events");
    public static final ConfigKey<String> GROUP_ID = ConfigKey.stringKey("kafka.consumer.group.id", "flume",
            "the consumer group the channel takes as; channels sharing it share the topic's partitions");
    public static final ConfigKey<Boolean> PARSE_AS_FLUME_EVENT = ConfigKey.boolKey("parseAsFlumeEvent", true,
            "true: records are Apache Flume Avro events (headers and body), as Apache Flume's Kafka channel writes"
                    + " them; false: a record's value is the body, without headers");
    public static final ConfigKey<Long> POLL_TIMEOUT = ConfigKey.longKey("kafka.pollTimeout", 500L,
            "longest time, in ms, a take waits in the consumer's poll for records").atLeast(0);
    public static final ConfigKey<Long> POLL_TIMEOUT_ALIAS = ConfigKey.longKey("pollTimeout", null,
            "the same as kafka.pollTimeout, as Apache Flume's user guide writes it").atLeast(0);
    public static final ConfigKey<Integer> DEFAULT_PARTITION_ID = ConfigKey.intKey("defaultPartitionId", null,
            "the partition every put goes to, unless partitionIdHeader says otherwise; unset: Kafka's"
                    + " partitioner (by the key header)").atLeast(0);
    public static final ConfigKey<String> PARTITION_ID_HEADER = ConfigKey.stringKey("partitionIdHeader", null,
            "a header whose value is the partition an event is put to (overrides defaultPartitionId)");
    /**
     * Sluice only: the shortest time, in ms, between two offset commits of one taking thread. Takes committed
     * meanwhile are merged into the next commit, so a busy channel writes a handful of offset commits a second
     * to the group's {@code __consumer_offsets} partition instead of one per round trip; what it costs is that
     * a crash gives back up to this long's takes (they come again, nothing is lost). 0: send each commit as
     * soon as the previous one was answered.
     */
    public static final ConfigKey<Long> OFFSET_COMMIT_INTERVAL = ConfigKey.longKey("sluice.offsetCommitIntervalMs",
            100L, "Sluice only: shortest time, in ms, between two offset commits of a taking thread; takes committed"
                    + " meanwhile go in the next one (0: as soon as the previous commit was answered)")
            .between(0, 60_000);
    public static final ConfigKey<String> OLD_TOPIC = ConfigKey.stringKey("topic", null,
            "deprecated by Apache Flume: use kafka.topic");
    public static final ConfigKey<String> OLD_BROKER_LIST = ConfigKey.stringKey("brokerList", null,
            "deprecated by Apache Flume: use kafka.bootstrap.servers");
    public static final ConfigKey<String> OLD_GROUP_ID = ConfigKey.stringKey("groupId", null,
            "deprecated by Apache Flume: use kafka.consumer.group.id");
    public static final ConfigKey<Boolean> OLD_READ_SMALLEST = ConfigKey.boolKey("readSmallestOffset", null,
            "deprecated by Apache Flume: true is kafka.consumer.auto.offset.reset = earliest, false latest");

    /**
     * The producer's {@code batch.size} unless {@code kafka.producer.batch.size} says otherwise (Kafka's
     * default: 16384). A put's commit flushes at once, so a batch never waits to fill; a larger one
     * only lets a whole transaction of 1000 100-byte events go to a partition as one batch instead of
     * seven, so the broker appends, indexes and serves fewer, larger batches per event.
     */
    public static final int PRODUCER_BATCH_SIZE = 262_144;
    /**
     * The producer's {@code linger.ms} unless {@code kafka.producer.linger.ms} says otherwise (Kafka's
     * default: 5). A put's commit hands all its records to the producer, then flushes, so linger.ms
     * never delays a put; it only decides whether Kafka may ship the first records of a put while the
     * rest are still being handed over. Kept long, a put's records for a partition go as one batch,
     * which the broker appends whole or not at all: a put that fails while the broker is away cannot
     * leave a later part of itself on the topic without its first events (which the retried put would
     * then bring after them, out of order).
     */
    public static final int PRODUCER_LINGER_MS = 1000;
    /**
     * The consumer's {@code max.poll.records} unless {@code kafka.consumer.max.poll.records} says
     * otherwise (Kafka's default: 500), so a take of 1000 (a sink's usual batch) needs one poll.
     */
    public static final int CONSUMER_MAX_POLL_RECORDS = 1000;

    public static final List<ConfigKey<?>> KEYS = List.of(BOOTSTRAP_SERVERS, TOPIC, GROUP_ID, PARSE_AS_FLUME_EVENT,
            POLL_TIMEOUT, POLL_TIMEOUT_ALIAS, DEFAULT_PARTITION_ID, PARTITION_ID_HEADER, OFFSET_COMMIT_INTERVAL, OLD_TOPIC, OLD_BROKER_LIST,
            OLD_GROUP_ID, OLD_READ_SMALLEST);

    public KafkaChannelConfig {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topic, "topic is null");
        requireNonNull(groupId, "groupId is null");
        requireNonNull(defaultPartitionId, "defaultPartitionId is null");
        requireNonNull(partitionIdHeader, "partitionIdHeader is null");
        if (offsetCommitIntervalMillis < 0) {
            throw new IllegalArgumentException("offsetCommitIntervalMillis: " + offsetCommitIntervalMillis
                    + " (expected: >= 0)");
        }
        consumerProperties = Map.copyOf(consumerProperties);
        producerProperties = Map.copyOf(producerProperties);
    }

    /** Reads and checks the keys; null when a required key is missing or wrong. */
    public static KafkaChannelConfig read(ComponentContext ctx) {
        boolean ok = RemovedKeys.check(ctx, RemovedKeys.ZOOKEEPER);
        String bootstrap = KafkaClientProperties.bootstrapServers(ctx, BOOTSTRAP_SERVERS, OLD_BROKER_LIST);
        if (bootstrap == null) {
            ok = false;
        }
        String topic = orOld(ctx, TOPIC, OLD_TOPIC);
        String groupId = orOld(ctx, GROUP_ID, OLD_GROUP_ID);
        long pollTimeout = ctx.get(POLL_TIMEOUT);
        Long alias = ctx.get(POLL_TIMEOUT_ALIAS);
        if (ctx.raw(POLL_TIMEOUT.name()).isEmpty() && alias != null) {
            pollTimeout = alias;
        }
        Map<String, Object> consumerDefaults = new LinkedHashMap<>();
        consumerDefaults.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerDefaults.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerDefaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerDefaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, CONSUMER_MAX_POLL_RECORDS);
        Boolean readSmallest = ctx.get(OLD_READ_SMALLEST);
        if (readSmallest != null && ctx.raw(KafkaClientProperties.CONSUMER_PREFIX
                + ConsumerConfig.AUTO_OFFSET_RESET_CONFIG).isEmpty()) {
            ctx.warn(OLD_READ_SMALLEST.name(), "deprecated; use kafka.consumer.auto.offset.reset");
            consumerDefaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, readSmallest ? "earliest" : "latest");
        }
        Map<String, Object> producerDefaults = new LinkedHashMap<>();
        producerDefaults.put(ProducerConfig.ACKS_CONFIG, "all");
        producerDefaults.put(ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_SIZE);
        producerDefaults.put(ProducerConfig.LINGER_MS_CONFIG, PRODUCER_LINGER_MS);
        producerDefaults.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerDefaults.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String servers = bootstrap == null ? "" : bootstrap.trim();
        Map<String, Object> consumer = KafkaClientProperties.consumer(ctx, consumerDefaults, servers, groupId);
        Map<String, Object> producer = KafkaClientProperties.producer(ctx, producerDefaults, servers);
        Integer partition = ctx.get(DEFAULT_PARTITION_ID);
        String partitionHeader = ctx.get(PARTITION_ID_HEADER);
        boolean parse = ctx.get(PARSE_AS_FLUME_EVENT);
        long commitInterval = ctx.get(OFFSET_COMMIT_INTERVAL);
        if (!ok) {
            return null;
        }
        return new KafkaChannelConfig(servers, topic, groupId, parse, pollTimeout, Optional.ofNullable(partition),
                Optional.ofNullable(partitionHeader).map(String::trim).filter(s -> !s.isEmpty()), commitInterval,
                consumer, producer);
    }

    private static String orOld(ComponentContext ctx, ConfigKey<String> key, ConfigKey<String> old) {
        String v = ctx.raw(key.name()).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        String o = ctx.get(old);
        if (v == null && o != null && !o.isBlank()) {
            ctx.warn(old.name(), "deprecated; use " + key.name());
            v = o.trim();
        }
        return v == null ? key.defaultValue() : v;
    }
}
