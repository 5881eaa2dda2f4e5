package io.sluice.kafka.source;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.AbstractPollableSource;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.kafka.OffsetCommits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Reads records from Kafka topics and puts them into its channels in batches of up to
 * {@code batchSize} records or {@code batchDurationMillis}, whichever comes first. A batch's offsets
 * are committed only after the channel put committed, so a crash at any point re-reads records rather
 * than losing them (at-least-once). The commit is sent without waiting for the broker's answer
 * ({@code commitAsync}): the next batch is read while it travels, which saves one round trip per
 * batch; the offsets of every accepted batch are also kept, and committed synchronously when
 * partitions are revoked and when the source stops. A failed asynchronous commit only means the
 * next one (or that final one) covers its offsets, or the records are read again after a crash. A
 * batch the channel refuses is kept and put again on the next call, before anything new is read.
 *
 * <p>Headers, as in Apache Flume 1.11: with {@code useFlumeEventFormat} the event's own headers come
 * first; then {@code timestamp} (the record's timestamp), the {@code header.*} copies of record
 * headers, the topic header, {@code partition} and {@code offset} are added when absent, and
 * {@code key} is set to the record key when there is one.
 *
 * <p>In exactly-once mode ({@link #handOffOffsetCommits()}, called by a Kafka sink with
 * {@code kafka.exactlyOnce = true} while the agent is built) the source commits nothing: the sink
 * commits the offsets inside its producer transaction, from the topic, {@code partition} and
 * {@code offset} headers, which the source then always sets to the record's own coordinates. The
 * source publishes its consumer group's metadata, its assignment and the offsets committed when
 * each partition was assigned, for that sink.
 *
 * <p>Thread-safety: {@code process()} runs on one runner thread, which alone touches the consumer;
 * {@code stop()} wakes it up. What the sink reads is volatile or concurrent.
 */
public final class KafkaSource extends AbstractPollableSource implements BatchSizeAware {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    public static final String PARTITION_HEADER = "partition";
    public static final String OFFSET_HEADER = "offset";
    public static final String TIMESTAMP_HEADER = "timestamp";
    public static final String KEY_HEADER = "key";
    private static final byte[] NO_BYTES = new byte[0];

    private final String label;
    private final KafkaSourceConfig config;
    private final SourceCounter counter;
    private final RateLimitedLog errors = new RateLimitedLog(Duration.ofSeconds(10));
    private final Map<TopicPartition, Long> committedAtAssignment = new ConcurrentHashMap<>();
    private final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
    /** Per partition, the next offset after the last record the channel accepted; committed on revoke and stop. */
    private final Map<TopicPartition, OffsetAndMetadata> accepted = new ConcurrentHashMap<>();
    private final OffsetCommitCallback commitCallback = this::onCommitted;
    /**
     * Offsets of accepted batches not yet sent to the broker: while one asynchronous commit is on its way,
     * the batches accepted meanwhile wait here and go in one commit when it is answered. Runner thread only.
     */
    private final Map<TopicPartition, OffsetAndMetadata> unsent = new HashMap<>();
    /** Commits sent and not yet answered (0 or 1), and the most there ever were; for tests. */
    private int commitsInFlight;
    private volatile int mostCommitsInFlight;
    private volatile boolean exactlyOnce;
    private volatile Runnable beforeLeavingGroup;
    private volatile ConsumerGroupMetadata groupMetadata;
    private volatile Consumer<String, byte[]> consumer;
    private Iterator<ConsumerRecord<String, byte[]>> buffered = List.<ConsumerRecord<String, byte[]>>of().iterator();
    /** Partition numbers as header text, made once; used on the runner thread only. */
    private final String[] partitionTexts = new String[256];
    /** A batch read but not yet accepted by the channel; null when none. */
    private Pending pending;
    /**
     * The header names of a plain record's event, without and with the {@code key} header, shared by all
     * such events; null when those events' headers are built in a {@code LinkedHashMap} instead (Flume
     * event format, {@code header.*} copies, or a topic header named like another header). Set in doStart.
     */
    private String[] plainNames;
    private String[] keyedNames;
    /** Whether those names hold the topic header (second, after the timestamp). */
    private boolean namesHoldTopic;
    /** The last record timestamp made into text, and that text: a producer stamps many records alike. */
    private long lastTimestamp = Long.MIN_VALUE;
    private String lastTimestampText;

    public KafkaSource(String name, String label, KafkaSourceConfig config, SourceCounter counter) {
        super(name, config.backoff());
        this.label = requireNonNull(label, "label is null");
        this.config = requireNonNull(config, "config is null");
        this.counter = requireNonNull(counter, "counter is null");
    }

    public KafkaSourceConfig config() {
        return config;
    }

    @Override
    public int batchSize() {
        return config.batchSize();
    }

    /**
     * Leaves offset commits to an exactly-once sink downstream. Called while the agent is built,
     * before {@code start()}.
     */
    public void handOffOffsetCommits() {
        this.exactlyOnce = true;
    }

    /**
     * Exactly-once: {@code hook} runs when the source stops, before its consumer leaves the group, so
     * the sink can commit its open transaction while the group's metadata is still valid (after the
     * member left, Kafka refuses the offset commit and the transaction aborts).
     */
    public void beforeLeavingGroup(Runnable hook) {
        this.beforeLeavingGroup = hook;
    }

    public boolean offsetCommitsHandedOff() {
        return exactlyOnce;
    }

    /** The consumer group's metadata as of the last poll (generation and member for fencing), or null before it. */
    public ConsumerGroupMetadata groupMetadata() {
        return groupMetadata;
    }

    /** Whether the source owns {@code partition} now. */
    public boolean owns(TopicPartition partition) {
        return assignment.contains(partition);
    }

    /** The offset committed for {@code partition} when it was last assigned to this source, or -1. */
    public long committedAtAssignment(TopicPartition partition) {
        return committedAtAssignment.getOrDefault(partition, -1L);
    }

    @Override
    protected void doStart() {
        plainNames = null;
        keyedNames = null;
        if (!config.useFlumeEventFormat() && config.kafkaHeaders().isEmpty()) {
            boolean topic = exactlyOnce || config.setTopicHeader();
            namesHoldTopic = topic;
            plainNames = topic
                    ? RecordHeaderMap.layout(TIMESTAMP_HEADER, config.topicHeader(), PARTITION_HEADER, OFFSET_HEADER)
                    : RecordHeaderMap.layout(TIMESTAMP_HEADER, PARTITION_HEADER, OFFSET_HEADER);
            keyedNames = topic
                    ? RecordHeaderMap.layout(TIMESTAMP_HEADER, config.topicHeader(), PARTITION_HEADER, OFFSET_HEADER,
                            KEY_HEADER)
                    : RecordHeaderMap.layout(TIMESTAMP_HEADER, PARTITION_HEADER, OFFSET_HEADER, KEY_HEADER);
            if (plainNames == null || keyedNames == null) {
                plainNames = null;
                keyedNames = null;
            }
        }
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config.consumerProperties());
        Listener listener = new Listener();
        if (config.topicsRegex().isPresent()) {
            c.subscribe(config.topicsRegex().get(), listener);
        } else {
            c.subscribe(config.topics(), listener);
        }
        consumer = c;
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] Kafka source reading {} as group '{}' from {}{}", label,
                config.topicsRegex().map(p -> "topics matching " + p).orElse("topics " + config.topics()),
                config.groupId(), config.bootstrapServers(),
                exactlyOnce ? " (offsets committed by the exactly-once sink)" : "");
    }

    @Override
    protected void doStop() {
        Runnable hook = beforeLeavingGroup;
        if (exactlyOnce && hook != null) {
            hook.run();
        }
        Consumer<String, byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            commitAccepted(c, accepted.keySet());
            c.wakeup();
            try {
                c.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("[{}] closing the Kafka consumer failed: {}", label, e.toString());
            }
        }
        counter.markStopped(System.currentTimeMillis());
    }

    @Override
    public Status process() {
        Consumer<String, byte[]> c = consumer;
        if (c == null) {
            return Status.BACKOFF;
        }
        try {
            if (pending == null) {
                pending = read(c);
                if (pending == null) {
                    sendCommit(c); // a commit answered during the poll may leave accepted offsets to send
                    return Status.BACKOFF;
                }
                counter.addReceived(pending.events.size());
                counter.incrementAppendBatchReceived();
            }
            try {
                getChannelProcessor().processEventBatch(pending.events);
            } catch (ChannelException e) {
                counter.incrementChannelWriteFail();
                if (errors.allow()) {
                    LOG.warn("[{}] the channel refused a batch of {} record(s); it is put again next: {}", label,
                            pending.events.size(), e.getMessage());
                }
                return Status.BACKOFF;
            }
            Pending done = pending;
            pending = null;
            counter.addAccepted(done.events.size());
            counter.incrementAppendBatchAccepted();
            if (!exactlyOnce) {
                commit(c, done.offsets);
            }
            return Status.READY;
        } catch (WakeupException e) {
            return Status.BACKOFF;
        } catch (RuntimeException e) {
            counter.incrementEventReadFail();
            if (errors.allow()) {
                LOG.error("[{}] reading from Kafka failed ({} similar suppressed): {}", label, errors.takeSuppressed(),
                        KafkaClientProperties.explain(e, KafkaClientProperties.CONSUMER_PREFIX,
                                config.consumerProperties()), e);
            }
            return Status.BACKOFF;
        }
    }

    /**
     * Commits the offsets of a batch the channel accepted, without waiting for the broker. One commit
     * at a time: while one is on its way, the offsets wait and the next commit carries those of every
     * batch accepted meanwhile (the answer arrives during a later poll). A fast source so sends one
     * commit per broker round trip instead of one per batch; what a crash may re-read stays what was
     * accepted since the last commit answered.
     */
    private void commit(Consumer<String, byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        accepted.putAll(offsets);
        unsent.putAll(offsets);
        sendCommit(c);
    }

    /** Sends the waiting offsets when no commit is on its way. */
    private void sendCommit(Consumer<String, byte[]> c) {
        if (commitsInFlight > 0 || unsent.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(unsent);
        unsent.clear();
        commitsInFlight++;
        if (commitsInFlight > mostCommitsInFlight) {
            mostCommitsInFlight = commitsInFlight;
        }
        try {
            c.commitAsync(offsets, commitCallback);
        } catch (RuntimeException e) {
            commitsInFlight--;
            offsets.forEach(unsent::putIfAbsent);
            throw e;
        }
    }

    /** The most asynchronous commits that were on their way at once (1 once any was sent). */
    int mostCommitsInFlight() {
        return mostCommitsInFlight;
    }

    /** Runs on the runner thread, inside a later poll or commit. */
    private void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets, Exception failure) {
        commitsInFlight = Math.max(0, commitsInFlight - 1);
        if (failure != null) {
            if (failure instanceof RetriableException) {
                // Sent again with the next commit, unless a later batch moved the partition on or it was revoked.
                offsets.forEach((tp, om) -> {
                    if (accepted.containsKey(tp)) {
                        unsent.putIfAbsent(tp, om);
                    }
                });
            }
            // The events are in the channel; a later commit covers them, else they are read again (at-least-once).
            counter.incrementGenericProcessingFail();
            if (errors.allow()) {
                LOG.warn("[{}] committing offsets {} failed; a later commit covers them, or after a restart or a"
                        + " rebalance those records are read again: {}", label, offsets, failure.toString());
            }
        }
    }

    /**
     * Commits, waiting for the broker, the accepted offsets of {@code partitions} and forgets them:
     * when partitions are revoked (their next owner starts there) and when the source stops.
     */
    private void commitAccepted(Consumer<String, byte[]> c, Collection<TopicPartition> partitions) {
        if (exactlyOnce) {
            return;
        }
        partitions.forEach(unsent::remove);
        String failed = OffsetCommits.commitAndForget(c, accepted, partitions);
        if (failed != null) {
            counter.incrementGenericProcessingFail();
            LOG.warn("[{}] committing {} failed; those records will be read again", label, failed);
        }
    }

    /** Fills a batch; null when nothing came within the batch duration. */
    private Pending read(Consumer<String, byte[]> c) {
        long deadline = System.nanoTime() + config.batchDurationMillis() * 1_000_000L;
        List<Event> events = new ArrayList<>(Math.min(config.batchSize(), 1024));
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        String lastTopic = null;
        int lastPartition = -1;
        long lastOffset = -1;
        while (events.size() < config.batchSize()) {
            if (!buffered.hasNext()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                var records = c.poll(Duration.ofNanos(left));
                groupMetadata = c.groupMetadata();
                buffered = records.iterator();
                if (!buffered.hasNext()) {
                    break;
                }
            }
            ConsumerRecord<String, byte[]> r = buffered.next();
            events.add(toEvent(r));
            // A poll returns each partition's records together: note a partition's next offset when its run ends,
            // not per record (a later run of the same partition only raises it).
            if (r.partition() != lastPartition || !r.topic().equals(lastTopic)) {
                if (lastTopic != null) {
                    offsets.put(new TopicPartition(lastTopic, lastPartition), new OffsetAndMetadata(lastOffset + 1));
                }
                lastTopic = r.topic();
                lastPartition = r.partition();
            }
            lastOffset = r.offset();
        }
        if (lastTopic != null) {
            offsets.put(new TopicPartition(lastTopic, lastPartition), new OffsetAndMetadata(lastOffset + 1));
        }
        return events.isEmpty() ? null : new Pending(events, offsets);
    }

    /** The text of partition number {@code p}, made once per partition for the first 256. */
    private String partitionText(int p) {
        if (p < 0 || p >= partitionTexts.length) {
            return String.valueOf(p);
        }
        String t = partitionTexts[p];
        if (t == null) {
            t = String.valueOf(p);
            partitionTexts[p] = t;
        }
        return t;
    }

    /** The text of a record timestamp; the last one is kept, as consecutive records often share it. */
    private String timestampText(long timestamp) {
        if (timestamp != lastTimestamp || lastTimestampText == null) {
            lastTimestampText = Long.toString(timestamp);
            lastTimestamp = timestamp;
        }
        return lastTimestampText;
    }

    private Event toEvent(ConsumerRecord<String, byte[]> r) {
        byte[] value = r.value() == null ? NO_BYTES : r.value();
        String[] names = plainNames;
        if (names != null) {
            // Same headers, order and values as the general path below, without a hash table per event.
            String key = r.key();
            String[] values;
            int i = 0;
            if (key == null) {
                values = new String[names.length];
            } else {
                names = keyedNames;
                values = new String[names.length];
                values[names.length - 1] = key;
            }
            values[i++] = timestampText(r.timestamp());
            if (namesHoldTopic) {
                values[i++] = r.topic();
            }
            values[i++] = partitionText(r.partition());
            values[i] = Long.toString(r.offset());
            return Event.adopt(new RecordHeaderMap(names, values), value);
        }
        Map<String, String> headers;
        byte[] body;
        if (config.useFlumeEventFormat()) {
            Event decoded;
            try {
                decoded = FlumeEventCodec.decode(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("record " + r.topic() + "-" + r.partition() + "@" + r.offset()
                        + " is " + e.getMessage() + "; set useFlumeEventFormat = false if the topic holds plain"
                        + " bodies", e);
            }
            headers = new LinkedHashMap<>(decoded.headers());
            body = decoded.body();
        } else {
            headers = new LinkedHashMap<>(8);
            body = value;
        }
        headers.putIfAbsent(TIMESTAMP_HEADER, timestampText(r.timestamp()));
        for (Map.Entry<String, String> m : config.kafkaHeaders().entrySet()) {
            for (Header h : r.headers().headers(m.getValue())) {
                headers.put(m.getKey(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        if (exactlyOnce) {
            headers.put(config.topicHeader(), r.topic());
            headers.put(PARTITION_HEADER, partitionText(r.partition()));
            headers.put(OFFSET_HEADER, String.valueOf(r.offset()));
        } else {
            if (config.setTopicHeader()) {
                headers.putIfAbsent(config.topicHeader(), r.topic());
            }
            headers.putIfAbsent(PARTITION_HEADER, partitionText(r.partition()));
            headers.putIfAbsent(OFFSET_HEADER, String.valueOf(r.offset()));
        }
        if (r.key() != null) {
            headers.put(KEY_HEADER, r.key());
        }
        return Event.adopt(headers, body);
    }

    /** A batch and the offsets to commit once it is in the channel. */
    private record Pending(List<Event> events, Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    /** Runs on the runner thread, inside poll(). */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Consumer<String, byte[]> c = consumer;
            if (c != null) {
                commitAccepted(c, partitions);
            }
            assignment.removeAll(partitions);
            partitions.forEach(committedAtAssignment::remove);
            LOG.info("[{}] partitions revoked: {}", label, partitions);
            // Records buffered but not yet in a batch belong to the next owner now.
            List<ConsumerRecord<String, byte[]>> keep = new ArrayList<>();
            buffered.forEachRemaining(r -> {
                if (!partitions.contains(new TopicPartition(r.topic(), r.partition()))) {
                    keep.add(r);
                }
            });
            buffered = keep.iterator();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Lost, not revoked: another member may own them already, so their offsets must not be committed.
            partitions.forEach(accepted::remove);
            partitions.forEach(unsent::remove);
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Consumer<String, byte[]> c = consumer;
            if (c != null && !partitions.isEmpty() && exactlyOnce) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.copyOf(partitions));
                    committed.forEach((tp, om) -> committedAtAssignment.put(tp, om == null ? -1L : om.offset()));
                } catch (RuntimeException e) {
                    LOG.warn("[{}] could not read the committed offsets of {}: {}", label, partitions, e.toString());
                }
            }
            assignment.addAll(partitions);
            LOG.info("[{}] partitions assigned: {}", label, partitions);
        }
    }
}
