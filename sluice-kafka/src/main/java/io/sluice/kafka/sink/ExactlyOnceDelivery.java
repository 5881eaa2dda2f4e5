package io.sluice.kafka.sink;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.UpstreamAware;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.kafka.source.KafkaSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Exactly-once from topic to topic: a Kafka transaction holds the produced records of one or more
 * channel batches and the offsets of the input records they came from ({@code sendOffsetsToTransaction},
 * with the consumer group metadata of the Kafka source upstream, so a member that lost its partitions
 * cannot commit). The transaction commits both or neither; the channel take of each of its batches
 * commits only after it. So whichever channel sits between, a crash anywhere re-reads from the
 * committed offsets exactly what was not yet written, and a transaction that aborts while the agent
 * lives rolls back every batch it held, which the channel gives again.
 *
 * <p>A transaction spans several batches through the sink's pipelining: {@link #send} adds a batch to
 * the open transaction and returns its {@link Pending}, and the first batch to be awaited commits the
 * whole transaction. The sink keeps at most {@code kafka.exactlyOnce.maxEvents} (in whole batches) open
 * and settles them after at most {@code kafka.exactlyOnce.commitIntervalMs}, or as soon as the channel
 * gives less than a full batch.
 *
 * <p>Two filters keep a channel that survives a crash (or a rebalance) from writing twice: an event
 * of a partition the source no longer owns is dropped (its new owner re-reads it from the committed
 * offset), and an event whose offset is below what this sink already committed for its partition
 * (or below the offset committed when the source was assigned the partition) is a copy and is
 * skipped. Both are counted in {@code ExactlyOnceSkipCount}.
 *
 * <p>Used by the sink's runner thread only; not thread-safe.
 */
final class ExactlyOnceDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceDelivery.class);
    static final String SKIP_COUNTER = "ExactlyOnceSkipCount";
    /** Kafka transactions committed; each holds one or more channel batches. */
    static final String COMMIT_COUNTER = "ExactlyOnceCommitCount";
    /** Kafka transactions aborted or lost with their producer; their batches were rolled back and sent again. */
    static final String ABORT_COUNTER = "ExactlyOnceAbortCount";

    private final String label;
    private final KafkaSinkConfig config;
    private final KafkaSource source;
    private final LongAdder skipped;
    /** Per partition, the next offset this sink's transactions have committed. */
    private final Map<TopicPartition, Long> committedNext = new HashMap<>();
    /** The offsets of the transaction whose commit timed out, until a retried commit tells its outcome; else null. */
    private Map<TopicPartition, OffsetAndMetadata> unconfirmed;
    /** The transaction being filled, or null between transactions; written under {@link #lock}. */
    private Open open;
    /** Guards {@link #open} for {@link #sourceLeaving()}, which waits on it from the stopping thread. */
    private final Object lock = new Object();
    /** Set when the Kafka source stops: no batch is added to a transaction any more. */
    private volatile boolean leaving;
    /** Set when an abort failed where it could not be reported: the producer must be replaced. */
    private boolean producerBroken;
    private final LongAdder commits;
    private final LongAdder aborts;

    ExactlyOnceDelivery(String label, KafkaSinkConfig config, KafkaSource source, SinkCounter counter) {
        this.label = requireNonNull(label, "label is null");
        this.config = requireNonNull(config, "config is null");
        this.source = requireNonNull(source, "source is null");
        this.skipped = counter.counter(SKIP_COUNTER);
        this.commits = counter.counter(COMMIT_COUNTER);
        this.aborts = counter.counter(ABORT_COUNTER);
    }

    /** Builds a record from an event. */
    interface RecordMaker {
        ProducerRecord<String, byte[]> make(Event e) throws EventDeliveryException;
    }

    /** The producer can no longer be used (fenced, or a fatal error): the sink closes it and makes a new one. */
    static final class ProducerLost extends Exception {
        ProducerLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What went wrong in a transaction, and what to do (see {@link TransactionFailures}). */
    private String explain(Throwable failure) {
        return TransactionFailures.explain(failure, TransactionFailures.Stage.TRANSACTION, config.producerProperties());
    }

    /**
     * Fences earlier producers with the same transactional id and aborts what they left open, then
     * raises the skip floor to the group's committed offsets: a transaction of an earlier producer
     * (whose commit's outcome this sink never learnt, e.g. a retried commit that failed because the
     * producer was fenced) may have committed, and its batch, which the channel gives again, must not
     * be written twice. Fails (so the sink retries with a new producer) when the offsets cannot be read.
     */
    void initialize(Producer<String, byte[]> producer) {
        producer.initTransactions();
        raiseFloorToCommittedOffsets();
        LOG.info("[{}] Kafka transactions ready (transactional.id {})", label,
                config.producerProperties().get("transactional.id"));
    }

    /** Delivers one batch in a Kafka transaction of its own: {@link #send} then waits for the commit. */
    void deliver(Producer<String, byte[]> producer, List<Event> events, RecordMaker maker)
            throws EventDeliveryException, ProducerLost {
        send(producer, events, maker).await();
    }

    /**
     * Adds a batch to the open Kafka transaction (beginning one when none is open) and returns what
     * commits it: the first {@link Pending#await()} of any of its batches commits the transaction with
     * the offsets of every batch it holds. The channel take of each batch commits only after that, so
     * a transaction that aborts rolls back every batch it held (see {@link Pending#abandon()}) and
     * they are taken and sent again. Events already written or not owned are skipped here.
     */
    Pending send(Producer<String, byte[]> producer, List<Event> events, RecordMaker maker)
            throws EventDeliveryException, ProducerLost {
        if (leaving) {
            throw new EventDeliveryException("[" + label + "] the Kafka source is stopping, so no batch is added to a"
                    + " transaction (its offsets could not be committed once the source left its group); the batch"
                    + " stays in the channel");
        }
        if (unconfirmed != null) {
            confirmUnconfirmedCommit(producer);
        }
        String topicHeader = source.config().topicHeader();
        Open t = open;
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (Event e : events) {
            TopicPartition tp = coordinates(e, topicHeader);
            long offset = Long.parseLong(e.header(KafkaSource.OFFSET_HEADER));
            if (!source.owns(tp) || offset < floor(tp) || offsetsAhead(offsets, tp, offset)
                    || (t != null && offsetsAhead(t.offsets, tp, offset))) {
                skipped.increment();
                continue;
            }
            records.add(maker.make(e));
            offsets.put(tp, new OffsetAndMetadata(offset + 1));
        }
        if (records.isEmpty()) {
            return t == null ? Pending.NOTHING : t;
        }
        if (t == null) {
            ConsumerGroupMetadata group = source.groupMetadata();
            if (group == null) {
                throw new EventDeliveryException("[" + label + "] the Kafka source has not joined its group yet;"
                        + " retrying");
            }
            t = new Open(producer, group);
        }
        try {
            if (t.batches == 0) {
                producer.beginTransaction();
                synchronized (lock) {
                    open = t;
                }
            }
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                | UnsupportedVersionException | InvalidProducerEpochException | IllegalStateException e) {
            t.state = State.ENDED;
            transactionEnded();
            throw lost(events.size(), e);
        } catch (KafkaException e) {
            throw aborted(t, e);
        }
        t.batches++;
        t.records += records.size();
        t.offsets.putAll(offsets);
        return t;
    }

    /** What a batch sent by {@link #send} waits on: the commit of its Kafka transaction. */
    interface Pending {
        /** A batch of skipped events only, outside any transaction: nothing to wait for. */
        Pending NOTHING = new Pending() {
            @Override
            public void await() {
            }

            @Override
            public void abandon() {
            }
        };

        /**
         * Returns once the batch's transaction committed, committing it if it is still open; throws
         * when it aborted or failed (the batch is then rolled back and taken again).
         */
        void await() throws EventDeliveryException, ProducerLost;

        /** The batch is being rolled back: aborts its transaction if still open, so none of it commits. */
        void abandon();
    }

    private enum State {
        OPEN,
        COMMITTED,
        /** Aborted, failed, or its commit's outcome is unknown (see {@link #unconfirmed}). */
        ENDED
    }

    /** One Kafka transaction, spanning the channel batches sent into it since it began. */
    private final class Open implements Pending {
        final Producer<String, byte[]> producer;
        /** The group's metadata when the transaction began: a rebalance since then fails its offset commit. */
        final ConsumerGroupMetadata group;
        /** Per partition, the offset after the last input record this transaction holds. */
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int batches;
        int records;
        State state = State.OPEN;

        Open(Producer<String, byte[]> producer, ConsumerGroupMetadata group) {
            this.producer = producer;
            this.group = group;
        }

        @Override
        public void await() throws EventDeliveryException, ProducerLost {
            switch (state) {
                case COMMITTED -> {
                }
                case ENDED -> throw new EventDeliveryException("[" + label + "] the Kafka transaction this batch was"
                        + " part of did not commit; rolled back to retry");
                case OPEN -> commit(this);
                default -> throw new IllegalStateException("state " + state);
            }
        }

        @Override
        public void abandon() {
            if (state != State.OPEN) {
                return;
            }
            try {
                aborted(this, new KafkaException("a batch of the transaction was rolled back"));
            } catch (ProducerLost e) {
                producerBroken = true;
                LOG.warn("[{}] {}", label, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return records + " record(s) from " + batches + " batch(es)";
        }
    }

    /**
     * Commits {@code t} with its input offsets ({@code sendOffsetsToTransaction}, then
     * {@code commitTransaction}); on failure ends it and throws.
     */
    private void commit(Open t) throws EventDeliveryException, ProducerLost {
        boolean committing = false;
        try {
            t.producer.sendOffsetsToTransaction(t.offsets, t.group);
            committing = true;
            t.producer.commitTransaction();
        } catch (TimeoutException | InterruptException e) {
            if (!committing) {
                throw aborted(t, e);
            }
            t.state = State.ENDED;
            transactionEnded();
            // The commit may have reached the coordinator: Kafka allows only retrying it, which tells the outcome.
            unconfirmed = t.offsets;
            if (e instanceof InterruptException) {
                Thread.currentThread().interrupt();
            }
            throw new EventDeliveryException("[" + label + "] the commit of a transaction of " + t + " was not"
                    + " confirmed in time, so its outcome is unknown: the commit is retried before the next batch, and"
                    + " these batches are written again only if it did not commit: " + explain(e), e);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                | UnsupportedVersionException | InvalidProducerEpochException | IllegalStateException e) {
            t.state = State.ENDED;
            transactionEnded();
            throw lost(t.records, e);
        } catch (KafkaException e) {
            throw aborted(t, e);
        }
        t.state = State.COMMITTED;
        transactionEnded();
        commits.increment();
        t.offsets.forEach((tp, om) -> committedNext.put(tp, om.offset()));
    }

    private ProducerLost lost(int events, RuntimeException e) {
        aborts.increment();
        return new ProducerLost("[" + label + "] the transactional producer cannot go on, so a new one is made and"
                + " the open transaction's " + events + " event(s) are retried: " + explain(e), e);
    }

    /**
     * Aborts {@code t} after {@code failure} and returns the exception to throw (its batches are rolled
     * back); throws {@link ProducerLost} when even the abort failed.
     */
    private EventDeliveryException aborted(Open t, KafkaException failure) throws ProducerLost {
        t.state = State.ENDED;
        transactionEnded();
        aborts.increment();
        try {
            t.producer.abortTransaction();
        } catch (KafkaException | IllegalStateException abort) {
            throw new ProducerLost("[" + label + "] a transaction failed and could not be aborted (" + explain(abort)
                    + "), so a new producer is made and its batches are retried: " + explain(failure), failure);
        }
        return new EventDeliveryException("[" + label + "] the Kafka transaction of " + t + " was aborted; rolled"
                + " back to retry: " + explain(failure), failure);
    }

    /** Clears {@link #open} and wakes {@link #sourceLeaving()}. */
    private void transactionEnded() {
        synchronized (lock) {
            open = null;
            lock.notifyAll();
        }
    }

    /**
     * Called by the Kafka source's stop, on the stopping thread, before its consumer leaves the group:
     * no batch is added to a transaction any more, and this waits (at most the commit interval plus the
     * producer's {@code max.block.ms}) until the sink's runner committed or ended the open one.
     */
    void sourceLeaving() {
        leaving = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.commitIntervalMs() + maxBlockMillis());
        synchronized (lock) {
            long left;
            while (open != null && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (open != null) {
                LOG.warn("[{}] the Kafka source stops while a transaction of {} is still open; it aborts and its"
                        + " events are read again at the next start", label, open);
            }
        }
    }

    /** True once an abort failed outside a delivery: the sink must make a new producer before the next batch. */
    boolean producerBroken() {
        return producerBroken;
    }

    /** The sink closed the producer: whatever was open with it is gone (the broker aborts it). */
    void producerClosed() {
        producerBroken = false;
        Open t = open;
        transactionEnded();
        if (t != null) {
            t.state = State.ENDED;
        }
    }

    /**
     * Retries the commit that timed out (the only call Kafka allows then). Committed: its offsets
     * become the floor, so the batch, which the channel gives again, is skipped. Failed: the
     * transaction is aborted and the batch is written again.
     */
    private void confirmUnconfirmedCommit(Producer<String, byte[]> producer) throws EventDeliveryException, ProducerLost {
        Map<TopicPartition, OffsetAndMetadata> pending = unconfirmed;
        try {
            producer.commitTransaction();
        } catch (TimeoutException | InterruptException e) {
            if (e instanceof InterruptException) {
                Thread.currentThread().interrupt();
            }
            throw new EventDeliveryException("[" + label + "] the commit of the previous transaction is still not"
                    + " confirmed; retrying it before anything else: " + explain(e), e);
        } catch (KafkaException | IllegalStateException e) {
            unconfirmed = null;
            LOG.warn("[{}] the retried commit of the previous transaction failed, so it did not commit; its batch is"
                    + " written again: {}", label, explain(e));
            if (e instanceof KafkaException k && !(e instanceof ProducerFencedException)) {
                abortAfterFailedRetry(producer, k);
                try {
                    raiseFloorToCommittedOffsets();
                } catch (KafkaException x) {
                    throw new ProducerLost("[" + label + "] after a failed commit the committed offsets could not be"
                            + " read, so a new producer is made (it reads them again): " + explain(x), x);
                }
                return;
            }
            throw new ProducerLost("[" + label + "] the transactional producer cannot go on: " + explain(e), e);
        }
        unconfirmed = null;
        pending.forEach((tp, om) -> committedNext.merge(tp, om.offset(), Math::max));
        LOG.info("[{}] the retried commit of the previous transaction succeeded; its batch is not written again",
                label);
    }

    private void abortAfterFailedRetry(Producer<String, byte[]> producer, KafkaException failure) throws ProducerLost {
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException abort) {
            throw new ProducerLost("[" + label + "] a transaction failed and could not be aborted (" + explain(abort)
                    + "), so a new producer is made and the batch is retried: " + explain(failure), failure);
        }
    }

    /**
     * Reads the source group's committed offsets, stable ones only (a transaction still completing is
     * waited for), and makes each partition's floor at least that: every record below it was written by
     * a committed transaction.
     */
    private void raiseFloorToCommittedOffsets() {
        String group = source.config().groupId();
        Map<String, Object> admin = KafkaClientProperties.admin(config.producerProperties());
        try (Admin a = Admin.create(admin)) {
            Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec()),
                    new ListConsumerGroupOffsetsOptions().requireStable(true).timeoutMs(maxBlockMillis()))
                    .partitionsToOffsetAndMetadata(group).get();
            committed.forEach((tp, om) -> {
                if (om != null) {
                    committedNext.merge(tp, om.offset(), Math::max);
                }
            });
            LOG.debug("[{}] offsets committed for group {}: {}", label, group, committed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new KafkaException("could not read the offsets group " + group + " committed (needed to skip what"
                    + " an earlier transaction may have written): " + cause, cause);
        }
    }

    /** The producer's {@code max.block.ms} (Kafka's default 60 s), as the admin call's time limit. */
    private int maxBlockMillis() {
        Object v = config.producerProperties().get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        try {
            return v == null ? 60_000 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(v.toString().trim()));
        } catch (NumberFormatException e) {
            return 60_000;
        }
    }

    /** True when this batch already holds a later or equal offset of the partition (a copy within the batch). */
    private static boolean offsetsAhead(Map<TopicPartition, OffsetAndMetadata> offsets, TopicPartition tp, long offset) {
        OffsetAndMetadata o = offsets.get(tp);
        return o != null && offset < o.offset();
    }

    private long floor(TopicPartition tp) {
        long mine = committedNext.getOrDefault(tp, -1L);
        return Math.max(mine, source.committedAtAssignment(tp));
    }

    private TopicPartition coordinates(Event e, String topicHeader) throws EventDeliveryException {
        String topic = e.header(topicHeader);
        String partition = e.header(KafkaSource.PARTITION_HEADER);
        String offset = e.header(KafkaSource.OFFSET_HEADER);
        if (topic == null || partition == null || offset == null) {
            throw new EventDeliveryException("[" + label + "] an event lacks the " + topicHeader + ", "
                    + KafkaSource.PARTITION_HEADER + " or " + KafkaSource.OFFSET_HEADER + " header its Kafka source"
                    + " set (headers: " + e.headers().keySet() + "); an interceptor must not remove them when"
                    + " kafka.exactlyOnce is true");
        }
        try {
            Long.parseLong(offset);
            return new TopicPartition(topic, Integer.parseInt(partition));
        } catch (NumberFormatException x) {
            throw new EventDeliveryException("[" + label + "] an event's " + KafkaSource.PARTITION_HEADER + " = '"
                    + partition + "' or " + KafkaSource.OFFSET_HEADER + " = '" + offset + "' is not a number; an"
                    + " interceptor must not change them when kafka.exactlyOnce is true");
        }
    }

    /** The outcome of checking the wiring: the source to work with, or the problems. */
    record Check(KafkaSource source, List<ConfigProblem> problems) {
    }

    /**
     * Exactly-once holds only when every event in the channel carries a Kafka offset of one group and
     * nothing else commits those offsets: one Kafka source feeding only this channel, read only by this sink.
     */
    static Check check(KafkaSinkConfig config, UpstreamAware.Upstream up) {
        String key = up.sinkKeyPrefix() + KafkaSinkConfig.EXACTLY_ONCE.name();
        List<ConfigProblem> problems = new ArrayList<>();
        KafkaSource kafka = null;
        List<String> others = new ArrayList<>();
        for (UpstreamAware.Feeder f : up.feeders()) {
            if (f.source() instanceof KafkaSource k) {
                if (kafka == null) {
                    kafka = k;
                    if (f.channels().size() > 1) {
                        problems.add(new ConfigProblem(f.keyPrefix() + "channels", String.join(" ", f.channels()),
                                "the Kafka source feeding exactly-once sink " + sinkName(up) + " writes to other"
                                        + " channels too; the sink would commit offsets of events still waiting there",
                                "let the source write only to " + up.channelName() + ", or set " + key + " = false"));
                    }
                    if (config.allowTopicOverride() && config.topicHeader().equals(k.config().topicHeader())) {
                        problems.add(new ConfigProblem(up.sinkKeyPrefix() + KafkaSinkConfig.ALLOW_TOPIC_OVERRIDE.name(),
                                String.valueOf(config.allowTopicOverride()), "would send every event back to the topic it"
                                + " was read from: the source puts the input topic in the header '"
                                + config.topicHeader() + "', which this sink reads as the output topic",
                                "set " + up.sinkKeyPrefix() + KafkaSinkConfig.ALLOW_TOPIC_OVERRIDE.name()
                                        + " = false, or give the sink or the source another topicHeader"));
                    }
                    continue;
                }
                others.add(f.name() + " (a second Kafka source)");
            } else {
                others.add(f.name() + " (not a Kafka source)");
            }
        }
        if (kafka == null) {
            problems.add(new ConfigProblem(key, "true", "no Kafka source feeds channel " + up.channelName()
                    + (others.isEmpty() ? "" : " (it is fed by " + others + ")")
                    + "; exactly-once commits the offsets of a Kafka source in the same agent",
                    "put a Kafka source upstream of " + up.channelName() + ", or set " + key + " = false"));
        } else if (!others.isEmpty()) {
            problems.add(new ConfigProblem(key, "true", "channel " + up.channelName() + " is also fed by " + others
                    + "; exactly-once needs every event to come from one Kafka source, whose offsets the sink commits",
                    "feed " + up.channelName() + " from one Kafka source only, or set " + key + " = false"));
        }
        if (up.readers().size() > 1) {
            problems.add(new ConfigProblem(key, "true", "channel " + up.channelName() + " is read by sinks "
                    + up.readers() + "; with several, one could commit offsets past events another has not written",
                    "let only this sink read " + up.channelName() + ", or set " + key + " = false"));
        }
        return new Check(problems.isEmpty() ? kafka : null, List.copyOf(problems));
    }

    private static String sinkName(UpstreamAware.Upstream up) {
        String p = up.sinkKeyPrefix();
        return p.substring(0, p.length() - 1);
    }
}
