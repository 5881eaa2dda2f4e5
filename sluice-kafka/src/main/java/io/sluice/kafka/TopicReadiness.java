package io.sluice.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Makes sure a topic is ready on its leaders before a producer first writes to it.
 *
 * <p>A topic the broker creates on a producer's first send (auto-creation) is announced in the
 * metadata a moment before its partitions' leaders can take writes. Kafka's idempotent producer
 * (every Sluice producer) sends several requests per partition at once; when the first is refused
 * (NOT_LEADER_OR_FOLLOWER) and a later one is accepted, every retry of the first is refused with
 * OUT_OF_ORDER_SEQUENCE_NUMBER until {@code delivery.timeout.ms} (2 minutes by default) gives up on
 * it (Kafka's defect KAFKA-15591). So before the first send to a topic, the topic's partitions are
 * asked for (which creates it if the broker auto-creates topics) and each leader is asked for its
 * latest offset, which it answers only once it leads the partition. Done once per topic; thread-safe.
 */
public final class TopicReadiness {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReadiness.class);
    private static final long DEFAULT_MAX_BLOCK_MS = 60_000;

    private final String label;
    private final Map<String, Object> producerProperties;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    /**
     * @param label the component's label, for the log
     * @param producerProperties the producer's properties (servers, TLS and SASL are reused to ask the leaders)
     */
    public TopicReadiness(String label, Map<String, Object> producerProperties) {
        this.label = requireNonNull(label, "label is null");
        this.producerProperties = requireNonNull(producerProperties, "producerProperties is null");
    }

    /**
     * Returns at once for a topic already made ready; else waits, up to {@code max.block.ms}, until
     * every partition of {@code topic} has a leader that answers.
     *
     * @throws org.apache.kafka.common.KafkaException as {@link Producer#partitionsFor} does (for
     *     instance when the topic does not exist and the broker does not create topics)
     */
    public void await(Producer<?, ?> producer, String topic) {
        if (ready.contains(topic)) {
            return;
        }
        synchronized (this) {
            if (ready.contains(topic)) {
                return;
            }
            settle(producer, topic);
            ready.add(topic);
        }
    }

    private void settle(Producer<?, ?> producer, String topic) {
        long timeoutMs = maxBlockMs();
        try (Admin admin = Admin.create(KafkaClientProperties.admin(producerProperties))) {
            boolean existed = exists(admin, topic, timeoutMs);
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (PartitionInfo p : partitions) {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            }
            admin.listOffsets(latest).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (!existed) {
                LOG.warn("[{}] topic '{}' did not exist, so Kafka created it on first use with {} partition(s) and the"
                        + " broker's default replication; the first write waited until every partition's leader"
                        + " answered, because Kafka's idempotent producer can otherwise stall for delivery.timeout.ms"
                        + " on a partition written too early (OUT_OF_ORDER_SEQUENCE_NUMBER, KAFKA-15591). Create"
                        + " topics before use (kafka-topics.sh --create) to choose their partitions and replication",
                        label, topic, partitions.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("[{}] could not check that the leaders of topic '{}' take writes ({}); writing anyway. A topic"
                    + " that did not exist before may stall its first writes until delivery.timeout.ms: create"
                    + " topics before use", label, topic, cause.toString());
        }
    }

    private static boolean exists(Admin admin, String topic, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    private long maxBlockMs() {
        Object v = producerProperties.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        if (v == null) {
            return DEFAULT_MAX_BLOCK_MS;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            return DEFAULT_MAX_BLOCK_MS;
        }
    }
}
