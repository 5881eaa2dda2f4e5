package io.sluice.kafka.channel;

import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.KafkaClientProperties;
import io.sluice.kafka.OffsetCommits;
import io.sluice.kafka.source.KafkaSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One taking thread's consumer of the channel's topic and the records it polled but has not handed
 * out. A rolled-back take puts its records back at the head, so they are taken again, in order,
 * before anything newer; records of partitions this consumer lost in a rebalance are dropped, since
 * their new owner reads them from the committed offsets. A take's commit sends its offsets without
 * waiting for the broker ({@code commitAsync}), so the next take polls while the commit travels. One
 * offset commit is in flight at a time, and the next leaves no sooner than
 * {@code sluice.offsetCommitIntervalMs} after it: the takes committed meanwhile are merged and sent
 * together, as one request, at the first take's commit or poll after both, so the broker handles a few
 * offset commits a second (each one a write to {@code __consumer_offsets}) rather than one per take or
 * per round trip. The offsets of every
 * committed take are kept and committed synchronously when partitions are revoked and when the
 * channel stops. A commit that fails, or a crash before it arrives (or, for merged takes, before it
 * was sent), makes those events come back (at-least-once), never skips one. Used by its thread only,
 * except {@link #close()}.
 */
final class TakeSide {
    private static final Logger LOG = LoggerFactory.getLogger(TakeSide.class);

    private final String label;
    private final KafkaChannelConfig config;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ArrayDeque<ConsumerRecord<String, byte[]>> buffer = new ArrayDeque<>();
    /** Per partition, the next offset after the last committed take; committed synchronously on revoke and close. */
    private final Map<TopicPartition, OffsetAndMetadata> takenUpTo = new ConcurrentHashMap<>();
    /** Per partition, the next offset after the last committed take not yet sent to the broker. */
    private final Map<TopicPartition, OffsetAndMetadata> unsent = new HashMap<>();
    private final OffsetCommitCallback commitCallback = this::onCommitted;
    private final LongSupplier nanoClock;
    private final long commitIntervalNanos;
    private boolean commitInFlight;
    /** {@code nanoClock} time at which the last commit was sent; valid once {@link #sentOne}. */
    private long lastSentNanos;
    private boolean sentOne;
    private volatile boolean closed;

    /** {@code nanoClock} stands for {@link System#nanoTime()} (tests move their own). */
    TakeSide(String label, KafkaChannelConfig config, LongSupplier nanoClock) {
        this.label = label;
        this.config = config;
        this.nanoClock = nanoClock;
        this.commitIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.offsetCommitIntervalMillis());
        this.consumer = new KafkaConsumer<>(config.consumerProperties());
        consumer.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(unsent::remove);
                commitTaken(partitions);
                buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                // Another member may own them already: their offsets must not be committed from here.
                partitions.forEach(takenUpTo::remove);
                partitions.forEach(unsent::remove);
                buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.debug("[{}] partitions assigned: {}", label, partitions);
            }
        });
    }

    boolean isClosed() {
        return closed;
    }

    /** The next record, polling when none is buffered; null when none came within the poll timeout. */
    ConsumerRecord<String, byte[]> next() {
        if (buffer.isEmpty()) {
            try {
                consumer.poll(Duration.ofMillis(config.pollTimeoutMillis())).forEach(buffer::add);
                sendUnsent(); // the poll may have brought the answer to the commit in flight
            } catch (WakeupException e) {
                return null;
            } catch (AuthenticationException e) {
                throw new ChannelException("[" + label + "] a take could not read " + config.topic() + ": "
                        + KafkaClientProperties.explain(e, KafkaClientProperties.CONSUMER_PREFIX,
                                config.consumerProperties()), e);
            }
        }
        return buffer.poll();
    }

    /** The event a record holds. */
    Event toEvent(ConsumerRecord<String, byte[]> r) {
        byte[] value = r.value() == null ? new byte[0] : r.value();
        Event e;
        if (config.parseAsFlumeEvent()) {
            try {
                e = FlumeEventCodec.decode(value);
            } catch (IllegalArgumentException x) {
                throw new ChannelException("[" + label + "] record " + r.topic() + "-" + r.partition() + "@" + r.offset()
                        + " is " + x.getMessage() + "; set parseAsFlumeEvent = false if the topic holds plain bodies",
                        x);
            }
        } else {
            e = Event.wrap(null, value);
        }
        if (r.key() != null) {
            Map<String, String> h = new HashMap<>(e.headers());
            h.put(KafkaSource.KEY_HEADER, r.key());
            e = e.withHeaders(h);
        }
        return e;
    }

    /** Puts {@code taken} back at the head, in order, keeping only partitions still owned. */
    void giveBack(List<ConsumerRecord<String, byte[]>> taken) {
        var owned = consumer.assignment();
        for (int i = taken.size() - 1; i >= 0; i--) {
            ConsumerRecord<String, byte[]> r = taken.get(i);
            if (owned.contains(new TopicPartition(r.topic(), r.partition()))) {
                buffer.addFirst(r);
            }
        }
    }

    /**
     * Commits the offsets of a committed take without waiting for the broker: sent at once when no
     * commit is in flight and the last one left at least {@code sluice.offsetCommitIntervalMs} ago,
     * else merged with the other takes committed meanwhile and sent at the first later commit or poll
     * when both hold (a sink that found the channel empty polls again after its back-off, so merged
     * offsets wait at most the interval plus that back-off).
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        takenUpTo.putAll(offsets);
        unsent.putAll(offsets);
        sendUnsent();
    }

    /**
     * Sends the offsets of the takes committed since the last commit, unless one is still in flight or
     * the last one left less than the commit interval ago.
     */
    private void sendUnsent() {
        if (commitInFlight || unsent.isEmpty()) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (sentOne && now - lastSentNanos < commitIntervalNanos) {
            return;
        }
        sentOne = true;
        lastSentNanos = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(unsent);
        unsent.clear();
        commitInFlight = true;
        try {
            consumer.commitAsync(offsets, commitCallback);
        } catch (RuntimeException e) {
            commitInFlight = false;
            LOG.warn("[{}] committing the offsets of a take failed ({}); those events may be taken again", label,
                    e.toString());
        }
    }

    /** Runs on the taking thread, inside a later poll or commit. */
    private void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets, Exception failure) {
        commitInFlight = false;
        if (failure != null) {
            LOG.warn("[{}] committing the offsets of a take failed ({}); a later commit covers them, or those events"
                    + " are taken again after a restart or a rebalance", label, failure.toString());
        }
    }

    /** Commits, waiting for the broker, what was taken from {@code partitions}, and forgets it. */
    private void commitTaken(Collection<TopicPartition> partitions) {
        String failed = OffsetCommits.commitAndForget(consumer, takenUpTo, partitions);
        if (failed != null) {
            LOG.warn("[{}] committing the {} of takes failed; those events may be taken again", label, failed);
        }
    }

    /**
     * Commits what was taken and closes the consumer. The channel stops after its sinks, so the
     * taking thread is done with the consumer; if it is not, the commit fails and those events come
     * back after a restart.
     */
    void close() {
        closed = true;
        commitTaken(takenUpTo.keySet());
        consumer.wakeup();
        try {
            consumer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warn("[{}] closing a Kafka consumer failed: {}", label, e.toString());
        }
    }
}
