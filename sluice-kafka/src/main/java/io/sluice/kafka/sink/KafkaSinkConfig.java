package io.sluice.kafka.sink;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.kafka.RemovedKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static java.util.Objects.requireNonNull;

/**
 * The Kafka sink's keys, with Apache Flume 1.11's names and meaning, read once into an immutable
 * value. One default differs on purpose: {@code kafka.producer.acks} is {@code all} (Flume: 1), so a
 * take commits only once every in-sync replica has the batch. Flume's deprecated {@code topic},
 * {@code brokerList}, {@code batchSize} and {@code requiredAcks} are still accepted with a warning.
 */
public record KafkaSinkConfig(String bootstrapServers, String topic, int batchSize, boolean useFlumeEventFormat,
        Optional<Integer> defaultPartitionId, Optional<String> partitionIdHeader, boolean allowTopicOverride,
        String topicHeader, Optional<String> timestampHeader, Map<String, String> kafkaHeaders, boolean exactlyOnce,
        int maxInFlightBatches, long commitIntervalMs, int transactionMaxEvents, Map<String, Object> producerProperties) {

    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.stringKey("kafka.bootstrap.servers", null,
            "the Kafka brokers to connect to first, host:port[,host:port...]; required");
    public static final ConfigKey<String> TOPIC = ConfigKey.stringKey("kafka.topic", "default-flume-topic",
            "the topic to write to; %{header} is replaced by the event's header");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("flumeBatchSize", 100,
            "most events taken from the channel and produced in one transaction").atLeast(1);
    public static final ConfigKey<String> ACKS = ConfigKey.choiceKey("kafka.producer.acks", "all",
            "acknowledgements the producer waits for before the take commits: all (every in-sync replica), 1 (the"
                    + " leader) or 0 (none)", "all", "-1", "1", "0");
    public static final ConfigKey<Boolean> USE_FLUME_EVENT_FORMAT = ConfigKey.boolKey("useFlumeEventFormat", false,
            "true: write each event as an Apache Flume Avro event (headers and body); false: the body only");
    public static final ConfigKey<Integer> DEFAULT_PARTITION_ID = ConfigKey.intKey("defaultPartitionId", null,
            "the partition every event goes to, unless partitionIdHeader says otherwise; unset: Kafka's"
                    + " partitioner (by key)").atLeast(0);
    public static final ConfigKey<String> PARTITION_ID_HEADER = ConfigKey.stringKey("partitionIdHeader", null,
            "a header whose value is the partition to write the event to (overrides defaultPartitionId)");
    public static final ConfigKey<Boolean> ALLOW_TOPIC_OVERRIDE = ConfigKey.boolKey("allowTopicOverride", true,
            "true: an event with the header named by topicHeader goes to that topic");
    public static final ConfigKey<String> TOPIC_HEADER = ConfigKey.stringKey("topicHeader", "topic",
            "the header that names an event's topic when allowTopicOverride is true");
    public static final ConfigKey<String> TIMESTAMP_HEADER = ConfigKey.stringKey("timestampHeader", null,
            "a header holding the record's timestamp (ms since the epoch); unset: the time of sending");
    public static final ConfigKey<Boolean> EXACTLY_ONCE = ConfigKey.boolKey("kafka.exactlyOnce", false,
            "Sluice only. true: produce inside Kafka transactions that also commit the offsets of the Kafka source"
                    + " upstream, so the output holds every input record exactly once");
    public static final ConfigKey<Long> COMMIT_INTERVAL_MS = ConfigKey.longKey("kafka.exactlyOnce.commitIntervalMs",
            100L, "Sluice only, with kafka.exactlyOnce. Longest a Kafka transaction stays open while the channel gives"
                    + " full batches: it then commits with the input offsets of every batch it holds. Output reaches"
                    + " read_committed consumers up to this much later; longer means fewer commits. At most 1000, so"
                    + " a stopping agent can still commit it").between(1, 1000);
    public static final ConfigKey<Integer> TRANSACTION_MAX_EVENTS = ConfigKey.intKey("kafka.exactlyOnce.maxEvents",
            10_000, "Sluice only, with kafka.exactlyOnce. Most events one Kafka transaction holds, in whole batches of"
                    + " flumeBatchSize (at least one batch): the channel takes of its batches stay open until it"
                    + " commits, so this many events are held out of the channel meanwhile").atLeast(1);
    public static final ConfigKey<Integer> MAX_IN_FLIGHT_BATCHES = ConfigKey.intKey("sluice.maxInFlightBatches", 4,
            "Sluice only. Most batches sent and waiting for their acknowledgements at once: the sink takes and sends"
                    + " the next batch while earlier ones wait, and commits their takes in order once acknowledged; 1"
                    + " waits for each batch before taking the next (Apache Flume's way). Exactly-once ignores it (see"
                    + " kafka.exactlyOnce.maxEvents)")
            .atLeast(1);
    public static final ConfigKey<String> OLD_TOPIC = ConfigKey.stringKey("topic", null,
            "deprecated by Apache Flume: use kafka.topic");
    public static final ConfigKey<String> OLD_BROKER_LIST = ConfigKey.stringKey("brokerList", null,
            "deprecated by Apache Flume: use kafka.bootstrap.servers");
    public static final ConfigKey<Integer> OLD_BATCH_SIZE = ConfigKey.intKey("batchSize", null,
            "deprecated by Apache Flume: use flumeBatchSize").atLeast(1);
    public static final ConfigKey<String> OLD_REQUIRED_ACKS = ConfigKey.stringKey("requiredAcks", null,
            "deprecated by Apache Flume: use kafka.producer.acks");

    public static final List<ConfigKey<?>> KEYS = List.of(BOOTSTRAP_SERVERS, TOPIC, BATCH_SIZE, ACKS,
            USE_FLUME_EVENT_FORMAT, DEFAULT_PARTITION_ID, PARTITION_ID_HEADER, ALLOW_TOPIC_OVERRIDE, TOPIC_HEADER,
            TIMESTAMP_HEADER, EXACTLY_ONCE, COMMIT_INTERVAL_MS, TRANSACTION_MAX_EVENTS, MAX_IN_FLIGHT_BATCHES, OLD_TOPIC,
            OLD_BROKER_LIST, OLD_BATCH_SIZE, OLD_REQUIRED_ACKS);

    /** {@code header.<event header> = <record header>}: event headers copied into Kafka record headers. */
    public static final String HEADER_PREFIX = "header.";

    /** Keys Apache Flume 1.11 ignores with a warning (the old producer's serializers). */
    private static final Map<String, String> IGNORED = Map.of(
            "serializer.class", "kafka.producer.value.serializer",
            "key.serializer.class", "kafka.producer.key.serializer");

    public KafkaSinkConfig {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topic, "topic is null");
        requireNonNull(defaultPartitionId, "defaultPartitionId is null");
        requireNonNull(partitionIdHeader, "partitionIdHeader is null");
        requireNonNull(topicHeader, "topicHeader is null");
        requireNonNull(timestampHeader, "timestampHeader is null");
        kafkaHeaders = Map.copyOf(kafkaHeaders);
        producerProperties = Map.copyOf(producerProperties);
    }

    /** Reads and checks the keys; null when a required key is missing or wrong. */
    public static KafkaSinkConfig read(ComponentContext ctx) {
        boolean ok = RemovedKeys.check(ctx, RemovedKeys.ZOOKEEPER);
        String bootstrap = KafkaClientProperties.bootstrapServers(ctx, BOOTSTRAP_SERVERS, OLD_BROKER_LIST);
        if (bootstrap == null) {
            ok = false;
        }
        String topic = ctx.raw(TOPIC.name()).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        String oldTopic = ctx.get(OLD_TOPIC);
        if (topic == null && oldTopic != null && !oldTopic.isBlank()) {
            ctx.warn(OLD_TOPIC.name(), "deprecated; use " + TOPIC.name());
            topic = oldTopic.trim();
        }
        if (topic == null) {
            topic = TOPIC.defaultValue();
            ctx.warn(TOPIC.name(), "not set; writing to the topic '" + topic + "' (Apache Flume's default)");
        }
        Integer oldBatch = ctx.get(OLD_BATCH_SIZE);
        int batchSize = ctx.get(BATCH_SIZE);
        if (ctx.raw(BATCH_SIZE.name()).isEmpty() && oldBatch != null) {
            ctx.warn(OLD_BATCH_SIZE.name(), "deprecated; use " + BATCH_SIZE.name());
            batchSize = oldBatch;
        }
        String acks = ctx.get(ACKS);
        String oldAcks = ctx.get(OLD_REQUIRED_ACKS);
        if (ctx.raw(ACKS.name()).isEmpty() && oldAcks != null && !oldAcks.isBlank()) {
            ctx.warn(OLD_REQUIRED_ACKS.name(), "deprecated; use " + ACKS.name());
            acks = oldAcks.trim();
        }
        IGNORED.forEach((k, instead) -> ctx.raw(k).ifPresent(v -> ctx.warn(k, "ignored, as Apache Flume 1.11"
                + " ignores it; set " + instead + " to choose a Kafka serializer")));
        boolean exactlyOnce = ctx.get(EXACTLY_ONCE);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        defaults.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Map<String, Object> producer = new LinkedHashMap<>(KafkaClientProperties.producer(ctx, defaults,
                bootstrap == null ? "" : bootstrap.trim()));
        producer.put(ProducerConfig.ACKS_CONFIG, acks);
        if (exactlyOnce) {
            ok &= checkExactlyOnce(ctx, acks, producer);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.subProperties(HEADER_PREFIX).forEach((event, record) -> headers.put(event, record.trim()));
        Integer partition = ctx.get(DEFAULT_PARTITION_ID);
        String partitionHeader = blankToNull(ctx.get(PARTITION_ID_HEADER));
        String timestampHeader = blankToNull(ctx.get(TIMESTAMP_HEADER));
        if (!ok) {
            return null;
        }
        return new KafkaSinkConfig(bootstrap.trim(), topic, batchSize, ctx.get(USE_FLUME_EVENT_FORMAT),
                Optional.ofNullable(partition), Optional.ofNullable(partitionHeader), ctx.get(ALLOW_TOPIC_OVERRIDE),
                ctx.get(TOPIC_HEADER), Optional.ofNullable(timestampHeader), headers, exactlyOnce,
                ctx.get(MAX_IN_FLIGHT_BATCHES), ctx.get(COMMIT_INTERVAL_MS), ctx.get(TRANSACTION_MAX_EVENTS), producer);
    }

    /** Transactions need acks=all and idempotence; the transactional id defaults to one per agent and sink. */
    private static boolean checkExactlyOnce(ComponentContext ctx, String acks, Map<String, Object> producer) {
        boolean ok = true;
        if (!acks.equals("all") && !acks.equals("-1")) {
            ctx.problem(ACKS.name(), acks, "must be all when kafka.exactlyOnce is true (Kafka transactions need it)",
                    "remove " + ACKS.name() + " or set it to all");
            ok = false;
        }
        Object idempotence = producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !"true".equalsIgnoreCase(idempotence.toString().trim())) {
            ctx.problem(KafkaClientProperties.PRODUCER_PREFIX + ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    idempotence.toString(), "must be true when kafka.exactlyOnce is true",
                    "remove it (Kafka transactions need an idempotent producer)");
            ok = false;
        }
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "sluice-" + ctx.agentName() + "-" + ctx.name());
        return ok;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The topic for an event: the override header when allowed and present, else the configured topic with its %{header}s replaced. */
    public String topicFor(Map<String, String> headers) {
        if (allowTopicOverride) {
            String t = headers.get(topicHeader);
            if (t != null) {
                return t;
            }
        }
        return topic.indexOf('%') < 0 ? topic : escape(topic, headers);
    }

    /** Replaces each {@code %{name}} by the header's value, or by nothing when the event lacks it. */
    static String escape(String pattern, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder(pattern.length() + 16);
        int i = 0;
        while (i < pattern.length()) {
            int start = pattern.indexOf("%{", i);
            if (start < 0) {
                sb.append(pattern, i, pattern.length());
                break;
            }
            int end = pattern.indexOf('}', start + 2);
            if (end < 0) {
                sb.append(pattern, i, pattern.length());
                break;
            }
            sb.append(pattern, i, start);
            String v = headers.get(pattern.substring(start + 2, end));
            if (v != null) {
                sb.append(v);
            }
            i = end + 1;
        }
        return sb.toString();
    }

    /**
     * Exactly-once: how many channel batches one Kafka transaction may span, {@code kafka.exactlyOnce.maxEvents}
     * in whole batches of {@code flumeBatchSize}, at least one.
     */
    public int batchesPerTransaction() {
        return Math.max(1, transactionMaxEvents / batchSize);
    }

    /** The acknowledgements setting, for messages. */
    public String acks() {
        return String.valueOf(producerProperties.get(ProducerConfig.ACKS_CONFIG)).toLowerCase(Locale.ROOT);
    }
}
