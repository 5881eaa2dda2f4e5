package io.sluice.kafka.source;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.core.source.support.PollBackoff;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.kafka.RemovedKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import static java.util.Objects.requireNonNull;

/**
 * The Kafka source's keys, with Apache Flume 1.11's names, defaults and meaning, read once into an
 * immutable value. Flume's deprecated {@code topic} and {@code groupId} are still accepted (with a
 * warning); {@code zookeeperConnect} and {@code migrateZookeeperOffsets} are refused.
 */
public record KafkaSourceConfig(String bootstrapServers, List<String> topics, Optional<Pattern> topicsRegex,
        String groupId, int batchSize, int batchDurationMillis, PollBackoff backoff, boolean useFlumeEventFormat,
        boolean setTopicHeader, String topicHeader, Map<String, String> kafkaHeaders,
        Map<String, Object> consumerProperties) {

    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.stringKey("kafka.bootstrap.servers", null,
            "the Kafka brokers to connect to first, host:port[,host:port...]; required");
    public static final ConfigKey<String> TOPICS = ConfigKey.stringKey("kafka.topics", null,
            "comma-separated topics to read; this or kafka.topics.regex is required");
    public static final ConfigKey<String> TOPICS_REGEX = ConfigKey.stringKey("kafka.topics.regex", null,
            "a regular expression; every topic whose name matches is read (overrides kafka.topics)");
    public static final ConfigKey<String> GROUP_ID = ConfigKey.stringKey("kafka.consumer.group.id", "flume",
            "the consumer group; sources sharing it share the topics' partitions");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 1000,
            "most records put into the channel in one transaction; also the consumer's max.poll.records"
                    + " (at least 500) unless kafka.consumer.max.poll.records is set").atLeast(1);
    public static final ConfigKey<Integer> BATCH_DURATION = ConfigKey.intKey("batchDurationMillis", 1000,
            "longest time, in ms, a batch is filled before it is written to the channel").atLeast(1);
    public static final ConfigKey<Boolean> USE_FLUME_EVENT_FORMAT = ConfigKey.boolKey("useFlumeEventFormat", false,
            "true: record values are Apache Flume Avro events (headers and body), as a Kafka sink with the same"
                    + " setting writes them; false: the value is the body");
    public static final ConfigKey<Boolean> SET_TOPIC_HEADER = ConfigKey.boolKey("setTopicHeader", true,
            "true: put the record's topic into the header named by topicHeader");
    public static final ConfigKey<String> TOPIC_HEADER = ConfigKey.stringKey("topicHeader", "topic",
            "the header that receives the record's topic when setTopicHeader is true");
    public static final ConfigKey<String> OLD_TOPIC = ConfigKey.stringKey("topic", null,
            "deprecated by Apache Flume: one topic to read; use kafka.topics");
    public static final ConfigKey<String> OLD_GROUP_ID = ConfigKey.stringKey("groupId", null,
            "deprecated by Apache Flume: the consumer group; use kafka.consumer.group.id");

    public static final List<ConfigKey<?>> KEYS;

    static {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(BOOTSTRAP_SERVERS, TOPICS, TOPICS_REGEX, GROUP_ID,
                BATCH_SIZE, BATCH_DURATION));
        keys.addAll(PollBackoff.KEYS);
        keys.addAll(List.of(USE_FLUME_EVENT_FORMAT, SET_TOPIC_HEADER, TOPIC_HEADER, OLD_TOPIC, OLD_GROUP_ID));
        KEYS = List.copyOf(keys);
    }

    /** The prefix of the keys that copy Kafka record headers into event headers: {@code header.<event header> = <record header>}. */
    public static final String HEADER_PREFIX = "header.";
    /** Kafka's default {@code max.poll.records}. */
    static final int KAFKA_MAX_POLL_RECORDS = 500;

    public KafkaSourceConfig {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        topics = List.copyOf(topics);
        requireNonNull(topicsRegex, "topicsRegex is null");
        requireNonNull(groupId, "groupId is null");
        requireNonNull(backoff, "backoff is null");
        requireNonNull(topicHeader, "topicHeader is null");
        kafkaHeaders = Map.copyOf(kafkaHeaders);
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /**
     * Reads and checks the keys; answers null when a required key is missing or wrong (other bad values
     * are reported to {@code ctx} and refuse the configuration all the same).
     */
    public static KafkaSourceConfig read(ComponentContext ctx) {
        boolean ok = RemovedKeys.check(ctx, RemovedKeys.ZOOKEEPER);
        String bootstrap = KafkaClientProperties.bootstrapServers(ctx, BOOTSTRAP_SERVERS, null);
        if (bootstrap == null) {
            ok = false;
        }
        String regex = ctx.get(TOPICS_REGEX);
        String topicList = ctx.get(TOPICS);
        String oldTopic = ctx.get(OLD_TOPIC);
        Optional<Pattern> pattern = Optional.empty();
        List<String> topics = List.of();
        if (regex != null && !regex.isEmpty()) {
            try {
                pattern = Optional.of(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                ctx.problem(TOPICS_REGEX.name(), regex, "is not a regular expression: " + e.getDescription(),
                        "write a Java regular expression, e.g. logs-.*");
                ok = false;
            }
        } else if (topicList != null && !topicList.isBlank()) {
            topics = splitTopics(topicList);
        } else if (oldTopic != null && !oldTopic.isBlank()) {
            ctx.warn(OLD_TOPIC.name(), "deprecated; use " + TOPICS.name());
            topics = splitTopics(oldTopic);
        } else {
            ctx.problem(TOPICS.name(), null, "at least one Kafka topic must be given",
                    "set " + TOPICS.name() + " (a comma-separated list) or " + TOPICS_REGEX.name());
            ok = false;
        }
        String groupId = ctx.raw(GROUP_ID.name()).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        String oldGroup = ctx.get(OLD_GROUP_ID);
        if (groupId == null && oldGroup != null && !oldGroup.isBlank()) {
            ctx.warn(OLD_GROUP_ID.name(), "deprecated; use " + GROUP_ID.name());
            groupId = oldGroup.trim();
        }
        if (groupId == null) {
            groupId = GROUP_ID.defaultValue();
        }
        int batchSize = ctx.get(BATCH_SIZE);
        int duration = ctx.get(BATCH_DURATION);
        PollBackoff backoff = PollBackoff.read(ctx);
        boolean avro = ctx.get(USE_FLUME_EVENT_FORMAT);
        boolean setTopic = ctx.get(SET_TOPIC_HEADER);
        String topicHeader = ctx.get(TOPIC_HEADER);
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.subProperties(HEADER_PREFIX).forEach((event, record) -> headers.put(event, record.trim()));
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        defaults.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords(batchSize));
        Map<String, Object> consumer = KafkaClientProperties.consumer(ctx, defaults,
                bootstrap == null ? "" : bootstrap.trim(), groupId);
        if (!ok) {
            return null;
        }
        return new KafkaSourceConfig(bootstrap.trim(), topics, pattern, groupId, batchSize, duration, backoff, avro,
                setTopic, topicHeader, headers, consumer);
    }

    /**
     * The consumer's {@code max.poll.records} unless {@code kafka.consumer.max.poll.records} says otherwise:
     * {@code batchSize}, so a batch is filled by one poll, but never below Kafka's own default of 500 (a
     * poll costs the same for 10 records as for 500; records beyond a batch wait for the next one).
     */
    static int maxPollRecords(int batchSize) {
        return Math.max(batchSize, KAFKA_MAX_POLL_RECORDS);
    }

    /** Apache Flume splits on commas, ignoring the spaces around them. */
    static List<String> splitTopics(String raw) {
        List<String> out = new ArrayList<>();
        for (String t : Arrays.asList(raw.trim().split("\\s*,\\s*"))) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
