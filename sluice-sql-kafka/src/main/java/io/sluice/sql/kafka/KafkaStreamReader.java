package io.sluice.sql.kafka;

import io.sluice.api.Event;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.sql.EventSourceProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * One KAFKA stream's member of its consumer group, on its own thread while a flow reads the stream.
 *
 * <p>Each record goes to the engine with its partition (the engine keeps a partition's watermark and
 * windows apart). Every {@code auto.commit.interval.ms}, and for the partitions a rebalance takes
 * away, the reader commits per partition the offset below which every record has had all its
 * windows emitted ({@link PartitionLedger}), with the partition's watermark in the commit's
 * metadata ({@value #WATERMARK_PREFIX}{@code <ms>}, format version 1). The server that is assigned
 * the partition next, after a rebalance or after this one died, starts it from that offset with that
 * watermark: windows this server emitted are not emitted again from the records it re-reads, and no
 * window that was still open is lost. Windows emitted here after the last commit are emitted again
 * there, complete: delivery of windows is at least once.
 *
 * <p>A revoked partition's open windows are forgotten here, never emitted partially. Closing (the
 * last flow stopped, the stream dropped, the engine closed) commits nothing more: the flow's windows
 * are gone, and the offsets committed last still point at their records.
 *
 * <p>Thread-safe: the consumer, the ledgers and the commits belong to the reader's thread; {@link
 * #close} only sets a flag and wakes the consumer up.
 */
final class KafkaStreamReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamReader.class);
    /** The commit metadata's prefix; the rest is the partition's watermark in epoch milliseconds. */
    static final String WATERMARK_PREFIX = "rtsql-watermark=";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long ERROR_LOG_INTERVAL_MS = 10_000;

    private final KafkaStreamConfig config;
    private final EventSourceProvider.EventSink sink;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final String label;
    /** Partitions assigned to this reader; reader thread only. */
    private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();
    /** What this reader committed last per partition; reader thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    private volatile boolean closing;
    private long lastErrorLog = Long.MIN_VALUE;

    KafkaStreamReader(KafkaStreamConfig config, EventSourceProvider.EventSink sink) {
        this.config = requireNonNull(config, "config is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.label = "[rtsql kafka " + config.topic() + " group " + config.consumer().get(KafkaStreamConfig.GROUP) + "]";
        this.consumer = new KafkaConsumer<>(new HashMap<>(config.consumer()));
        this.thread = new Thread(this::run, "rtsql-kafka-" + config.topic());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(config.topic()), new Rebalance());
            long nextCommit = System.currentTimeMillis() + config.commitIntervalMs();
            while (!closing) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    logError("reading failed, retrying in 1 s", e);
                    if (stopped.await(1, TimeUnit.SECONDS)) {
                        break;
                    }
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    PartitionLedger ledger = ledgers.computeIfAbsent(tp, k -> new PartitionLedger());
                    ledger.add(r.offset(), sink.accept(event(r), r.partition()));
                }
                long now = System.currentTimeMillis();
                if (now >= nextCommit) {
                    commit(ledgers.keySet());
                    nextCommit = now + config.commitIntervalMs();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("{} stopped reading: {}", label, explain(e), e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("{} closing the consumer failed: {}", label, e.toString());
            }
        }
    }

    /** The record as an event: value as body; headers topic, partition, offset, timestamp and key. */
    static Event event(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> h = new HashMap<>(8);
        h.put("topic", r.topic());
        h.put("partition", Integer.toString(r.partition()));
        h.put("offset", Long.toString(r.offset()));
        if (r.timestamp() >= 0) {
            h.put("timestamp", Long.toString(r.timestamp()));
        }
        if (r.key() != null) {
            h.put("key", new String(r.key(), StandardCharsets.UTF_8));
        }
        return Event.wrap(h, r.value() == null ? new byte[0] : r.value());
    }

    /** Commits, for each of {@code partitions} read here, the offset below which every window was emitted. */
    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionLedger ledger = ledgers.get(tp);
            if (ledger == null || !ledger.hasRead()) {
                continue;
            }
            EventSourceProvider.Progress p = sink.progress(tp.partition());
            if (p.equals(EventSourceProvider.Progress.ALL_HELD)) {
                continue; // the flow stopped: nothing more is known to be emitted
            }
            OffsetAndMetadata o = new OffsetAndMetadata(ledger.safeOffset(p.heldFrom()), WATERMARK_PREFIX + p.watermark());
            if (!o.equals(committed.get(tp))) {
                offsets.put(tp, o);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            committed.putAll(offsets);
            LOG.debug("{} committed {}", label, offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the next commit tries again; whoever reads these partitions next re-reads a little more
            logError("committing offsets failed", e);
        }
    }

    /** The watermark recorded with a committed offset, or {@link Long#MIN_VALUE}. */
    static long watermark(OffsetAndMetadata committed) {
        if (committed == null || committed.metadata() == null || !committed.metadata().startsWith(WATERMARK_PREFIX)) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(committed.metadata().substring(WATERMARK_PREFIX.length()));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private void logError(String what, Exception e) {
        long now = System.currentTimeMillis();
        if (lastErrorLog == Long.MIN_VALUE || now - lastErrorLog >= ERROR_LOG_INTERVAL_MS) {
            lastErrorLog = now;
            LOG.warn("{} {}: {}", label, what, explain(e));
        }
    }

    private String explain(Exception e) {
        return KafkaClientProperties.explain(e, "", config.consumer());
    }

    /** Commits and forgets partitions taken away; resumes assigned ones from their committed point. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (closing || partitions.isEmpty()) {
                return;
            }
            commit(partitions);
            forget(partitions);
            LOG.info("{} partitions {} moved away; their open windows are left to their next reader", label,
                    partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
            LOG.warn("{} partitions {} were lost (this member was dropped from the group); their open windows"
                    + " are left to their next reader", label, partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> from = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = from.get(tp);
                sink.resume(tp.partition(), watermark(c));
                ledgers.put(tp, new PartitionLedger());
                if (c != null) {
                    committed.put(tp, c);
                }
                LOG.info("{} reads partition {} from {}", label, tp.partition(),
                        c == null ? "its " + config.consumer().get("auto.offset.reset") + " offset"
                                : "offset " + c.offset() + " with watermark " + watermark(c));
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                sink.revoke(tp.partition());
                ledgers.remove(tp);
                committed.remove(tp);
            }
        }
    }

    /** Stops reading; waits up to 10 s for the consumer to leave the group. Commits nothing more. */
    @Override
    public void close() {
        closing = true;
        stopped.countDown();
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
