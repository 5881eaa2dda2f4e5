package io.sluice.kafka.sink;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.UpstreamAware;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.kafka.TopicReadiness;
import io.sluice.kafka.source.KafkaSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Produces each batch taken from the channel to Kafka and returns (so the take commits) only after
 * the producer's acknowledgements for every record ({@code acks=all} by default): a failed send, a
 * broker that went away, a timeout all roll the take back and the batch is produced again (at-least-once;
 * the idempotent producer keeps retries within one batch from writing twice).
 *
 * <p>Records, as in Apache Flume 1.11: the topic is the event's {@code topicHeader} header when
 * {@code allowTopicOverride}, else {@code kafka.topic} with {@code %{header}} replaced; the key is the
 * {@code key} header; the partition comes from {@code partitionIdHeader}, else
 * {@code defaultPartitionId}, else Kafka's partitioner; the timestamp from {@code timestampHeader};
 * {@code header.*} copies event headers into record headers; the value is the body or, with
 * {@code useFlumeEventFormat}, the whole event in Flume's Avro format.
 *
 * <p>With {@code kafka.exactlyOnce = true} a Kafka transaction spans up to
 * {@code kafka.exactlyOnce.maxEvents} events in whole batches, each batch's take open until the
 * transaction commits, for at most {@code kafka.exactlyOnce.commitIntervalMs} (see
 * {@link ExactlyOnceDelivery}). Thread-safety: {@code process()} runs on one runner thread, which
 * alone uses the producer; {@code stop()} runs after the runner stopped.
 */
public final class KafkaSink extends AbstractBatchSink implements UpstreamAware {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final KafkaSinkConfig config;
    private final List<Future<RecordMetadata>> futures = new ArrayList<>();
    private final TopicReadiness readiness;
    private ExactlyOnceDelivery exactlyOnce;
    private Producer<String, byte[]> producer;
    /** Flushes for pipelined batches; set with the producer when more than one batch may be in flight. */
    private Flusher flusher;

    public KafkaSink(String name, String label, KafkaSinkConfig config, SinkCounter counter) {
        super(name, label, config.batchSize(), counter);
        this.config = requireNonNull(config, "config is null");
        this.readiness = new TopicReadiness(label, config.producerProperties());
    }

    public KafkaSinkConfig config() {
        return config;
    }

    @Override
    public List<ConfigProblem> connectUpstream(Upstream upstream) {
        if (!config.exactlyOnce()) {
            return List.of();
        }
        ExactlyOnceDelivery.Check check = ExactlyOnceDelivery.check(config, upstream);
        if (check.problems().isEmpty()) {
            KafkaSource source = check.source();
            source.handOffOffsetCommits();
            exactlyOnce = new ExactlyOnceDelivery(label(), config, source, counter());
            source.beforeLeavingGroup(exactlyOnce::sourceLeaving);
        }
        return check.problems();
    }

    @Override
    protected void doStart() {
        super.doStart();
        if (config.exactlyOnce() && exactlyOnce == null) {
            throw new IllegalStateException("[" + label() + "] kafka.exactlyOnce is true but the agent did not connect"
                    + " the sink to its Kafka source");
        }
        LOG.info("[{}] Kafka sink writing to {} on {} (acks={}{})", label(), config.topic(), config.bootstrapServers(),
                config.acks(), config.exactlyOnce() ? ", exactly-once transactions" : "");
    }

    @Override
    protected void doStop() {
        closeProducer();
        super.doStop();
    }

    @Override
    protected void beforeBatch() throws EventDeliveryException {
        if (producer != null && exactlyOnce != null && exactlyOnce.producerBroken()) {
            closeProducer();
        }
        if (producer != null) {
            return;
        }
        try {
            producer = new KafkaProducer<>(config.producerProperties());
            counter().incrementConnectionCreated();
            if (exactlyOnce != null) {
                exactlyOnce.initialize(producer);
            } else if (config.maxInFlightBatches() > 1) {
                flusher = new Flusher(label(), producer);
            }
        } catch (RuntimeException e) {
            counter().incrementConnectionFailed();
            closeProducer();
            String why = exactlyOnce != null
                    ? TransactionFailures.explain(e, TransactionFailures.Stage.INIT, config.producerProperties())
                    : explain(e);
            throw new EventDeliveryException("[" + label() + "] could not start the Kafka producer for "
                    + config.bootstrapServers() + ": " + why, e);
        }
    }

    @Override
    protected void deliver(List<Event> events) throws EventDeliveryException {
        if (exactlyOnce != null) {
            try {
                exactlyOnce.deliver(producer, events, this::toRecord);
            } catch (ExactlyOnceDelivery.ProducerLost e) {
                closeProducer();
                throw new EventDeliveryException(e.getMessage(), e.getCause());
            }
            return;
        }
        futures.clear();
        try {
            for (Event e : events) {
                futures.add(producer.send(toRecord(e)));
            }
            producer.flush();
            for (Future<RecordMetadata> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            awaitEnd(futures);
            throw new EventDeliveryException("[" + label() + "] Kafka did not acknowledge a batch of " + events.size()
                    + " event(s); rolled back to retry: " + explain(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventDeliveryException("[" + label() + "] interrupted while waiting for Kafka's acknowledgements;"
                    + " rolled back", e);
        } finally {
            futures.clear();
        }
    }

    /**
     * Exactly-once: the batches one transaction may span ({@code kafka.exactlyOnce.maxEvents}); when that
     * many are open, the oldest one's wait commits the transaction. Otherwise {@code sluice.maxInFlightBatches}.
     */
    @Override
    protected int maxInFlightBatches() {
        return exactlyOnce != null ? config.batchesPerTransaction() : config.maxInFlightBatches();
    }

    /**
     * Exactly-once: {@code kafka.exactlyOnce.commitIntervalMs}, the longest the sink goes on adding full
     * batches to a transaction before it commits it (and every transaction is settled before
     * {@code process()} returns, so a stop finds none open).
     */
    @Override
    protected long pipelineSliceNanos() {
        return exactlyOnce != null ? TimeUnit.MILLISECONDS.toNanos(config.commitIntervalMs()) : super.pipelineSliceNanos();
    }

    /**
     * Sends a batch and returns what waits for its acknowledgements, while the sink takes and sends
     * the next one. The producer keeps each partition's records in the order sent, and its idempotence
     * ({@code acks=all}) keeps a later batch from landing when an earlier one of the same partition failed.
     */
    @Override
    protected Acknowledgement send(List<Event> events) throws EventDeliveryException {
        if (exactlyOnce != null) {
            return sendInTransaction(events);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        try {
            for (Event e : events) {
                sent.add(producer.send(toRecord(e)));
            }
        } catch (EventDeliveryException | RuntimeException e) {
            flusher.request();
            awaitEnd(sent);
            throw e;
        }
        flusher.request();
        int size = events.size();
        return new Acknowledgement() {
            @Override
            public void await() throws EventDeliveryException {
                awaitAcknowledgements(sent, size);
            }

            @Override
            public void abandon() {
                awaitEnd(sent);
            }
        };
    }

    /** Adds the batch to the open Kafka transaction; its acknowledgement is that transaction's commit. */
    private Acknowledgement sendInTransaction(List<Event> events) throws EventDeliveryException {
        ExactlyOnceDelivery.Pending pending;
        try {
            pending = exactlyOnce.send(producer, events, this::toRecord);
        } catch (ExactlyOnceDelivery.ProducerLost e) {
            closeProducer();
            throw new EventDeliveryException(e.getMessage(), e.getCause());
        }
        return new Acknowledgement() {
            @Override
            public void await() throws EventDeliveryException {
                try {
                    pending.await();
                } catch (ExactlyOnceDelivery.ProducerLost e) {
                    closeProducer();
                    throw new EventDeliveryException(e.getMessage(), e.getCause());
                }
            }

            @Override
            public void abandon() {
                pending.abandon();
            }
        };
    }

    /**
     * Waits until every send of {@code sent} ended, acknowledged or failed (Kafka's
     * {@code delivery.timeout.ms} bounds it), so a batch given again is written after whatever of
     * its first sending arrived, never overtaken by it.
     */
    private static void awaitEnd(List<Future<RecordMetadata>> sent) {
        boolean interrupted = false;
        for (Future<RecordMetadata> f : sent) {
            while (!f.isDone()) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                } catch (ExecutionException e) {
                    // failed: ended
                }
            }
            if (interrupted) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAcknowledgements(List<Future<RecordMetadata>> sent, int size) throws EventDeliveryException {
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new EventDeliveryException("[" + label() + "] Kafka did not acknowledge a batch of " + size
                    + " event(s); rolled back with every later batch in flight, to retry in order: "
                    + explain(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventDeliveryException("[" + label() + "] interrupted while waiting for Kafka's acknowledgements;"
                    + " rolled back", e);
        }
    }

    private String explain(Throwable failure) {
        return KafkaClientProperties.explain(failure, KafkaClientProperties.PRODUCER_PREFIX, config.producerProperties());
    }

    /** The record for {@code e}; fails with the header and its value when the partition header is not a number. */
    ProducerRecord<String, byte[]> toRecord(Event e) throws EventDeliveryException {
        Map<String, String> h = e.headers();
        Integer partition = config.defaultPartitionId().orElse(null);
        if (config.partitionIdHeader().isPresent()) {
            String v = h.get(config.partitionIdHeader().get());
            if (v != null) {
                try {
                    partition = Integer.parseInt(v.trim());
                } catch (NumberFormatException x) {
                    throw new EventDeliveryException("[" + label() + "] header " + config.partitionIdHeader().get()
                            + " = '" + v + "' is not a partition number; fix the events or the partitionIdHeader key");
                }
            }
        }
        Long timestamp = null;
        if (config.timestampHeader().isPresent()) {
            String v = h.get(config.timestampHeader().get());
            if (v != null) {
                try {
                    timestamp = Long.parseLong(v.trim());
                } catch (NumberFormatException x) {
                    LOG.debug("[{}] header {} = '{}' is not a timestamp; Kafka sets it", label(),
                            config.timestampHeader().get(), v);
                }
            }
        }
        List<Header> headers = null;
        if (!config.kafkaHeaders().isEmpty()) {
            for (Map.Entry<String, String> m : config.kafkaHeaders().entrySet()) {
                String v = h.get(m.getKey());
                if (v != null) {
                    if (headers == null) {
                        headers = new ArrayList<>(config.kafkaHeaders().size());
                    }
                    headers.add(new RecordHeader(m.getValue(), v.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        byte[] value = config.useFlumeEventFormat() ? FlumeEventCodec.encode(e) : e.body();
        String topic = config.topicFor(h);
        try {
            readiness.await(producer, topic);
        } catch (KafkaException x) {
            throw new EventDeliveryException("[" + label() + "] topic '" + topic + "' is not available; rolled back to"
                    + " retry: " + explain(x), x);
        }
        return new ProducerRecord<>(topic, partition, timestamp, h.get(KafkaSource.KEY_HEADER), value, headers);
    }

    private void closeProducer() {
        Flusher f = flusher;
        flusher = null;
        if (f != null) {
            f.close();
        }
        Producer<String, byte[]> p = producer;
        producer = null;
        if (exactlyOnce != null) {
            exactlyOnce.producerClosed();
        }
        if (p != null) {
            try {
                p.close();
                counter().incrementConnectionClosed();
            } catch (RuntimeException e) {
                LOG.warn("[{}] closing the Kafka producer failed: {}", label(), e.toString());
            }
        }
    }
}
