package io.sluice.kafka.channel;

import io.sluice.api.BasicTransaction;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.kafka.KafkaClientProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A transaction on a {@link KafkaChannel}. Puts are produced on commit, which returns once Kafka
 * acknowledged all of them (else it throws and the transaction must be rolled back; nothing was
 * acknowledged as put). Takes come from the thread's consumer; commit commits their offsets, rollback
 * gives the records back to be taken again. Owned by one thread.
 */
final class KafkaChannelTransaction extends BasicTransaction {
    private final KafkaChannel channel;
    private final ArrayList<ProducerRecord<String, byte[]>> puts = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> taken = new ArrayList<>();
    private TakeSide side;

    KafkaChannelTransaction(KafkaChannel channel) {
        this.channel = channel;
    }

    @Override
    protected void doBegin() {
    }

    @Override
    protected void doPutAll(List<Event> events) {
        puts.ensureCapacity(puts.size() + events.size());
        super.doPutAll(events);
    }

    @Override
    protected void doPut(Event event) {
        puts.add(channel.toRecord(event));
        channel.counter().addPutAttempts(1);
    }

    @Override
    protected Event doTake() {
        if (side == null) {
            side = channel.takeSide();
        }
        channel.counter().addTakeAttempts(1);
        ConsumerRecord<String, byte[]> r = side.next();
        if (r == null) {
            return null;
        }
        Event e;
        try {
            e = side.toEvent(r);
        } catch (ChannelException x) {
            side.giveBack(List.of(r));
            throw x;
        }
        taken.add(r);
        return e;
    }

    @Override
    protected void doCommit() {
        if (!puts.isEmpty()) {
            List<Future<RecordMetadata>> futures = new ArrayList<>(puts.size());
            try {
                Producer<String, byte[]> producer = channel.producer();
                channel.awaitTopicReady(producer);
                checkPartitions(producer.partitionsFor(channel.config().topic()).size());
                for (ProducerRecord<String, byte[]> r : puts) {
                    futures.add(producer.send(r));
                }
                producer.flush();
                for (Future<RecordMetadata> f : futures) {
                    f.get();
                }
            } catch (ExecutionException e) {
                throw new ChannelException("[" + channel.label() + "] Kafka did not acknowledge a put of " + puts.size()
                        + " event(s) to " + channel.config().topic() + ": " + KafkaClientProperties.explain(e.getCause(),
                        KafkaClientProperties.PRODUCER_PREFIX, channel.config().producerProperties()), e.getCause());
            } catch (ChannelException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChannelException("[" + channel.label() + "] interrupted while waiting for Kafka", e);
            } catch (RuntimeException e) {
                throw new ChannelException("[" + channel.label() + "] a put of " + puts.size() + " event(s) to "
                        + channel.config().topic() + " failed: " + e, e);
            }
            channel.counter().addPutSuccesses(puts.size());
            puts.clear();
            channel.putCommitted();
        }
        if (!taken.isEmpty()) {
            side.commit(nextOffsets(taken));
            channel.counter().addTakeSuccesses(taken.size());
            taken.clear();
        }
    }

    /**
     * Fails the put, before any of it is handed to the producer, when a record names a partition the topic
     * does not have. Together with {@code partitionsFor} just before (which waits, up to
     * {@code max.block.ms}, for the topic's metadata, as while the broker restarts), this keeps every
     * {@code send} of the put from waiting for metadata between two of its records: a wait longer than
     * {@code linger.ms} lets the records handed over before it leave alone, so a failed put would leave
     * part of itself on the topic and its retry would land after that part, out of order.
     */
    private void checkPartitions(int partitions) {
        for (ProducerRecord<String, byte[]> r : puts) {
            Integer p = r.partition();
            if (p != null && (p < 0 || p >= partitions)) {
                throw new ChannelException("[" + channel.label() + "] an event names partition " + p + " but topic "
                        + r.topic() + " has " + partitions + " partition(s) (0 to " + (partitions - 1) + "); nothing"
                        + " of the put of " + puts.size() + " event(s) was sent. Fix the events' "
                        + channel.config().partitionIdHeader().map(h -> "'" + h + "' header").orElse("partition header")
                        + " or the channel's defaultPartitionId key, or add partitions to the topic");
            }
        }
    }

    /**
     * Per partition, the offset after the last record of {@code records} (taken in order, so the last
     * one of a partition is its highest). Runs of one partition, the usual shape of a take, cost one
     * entry rather than one per record.
     */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int n = records.size();
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            if (i + 1 < n) {
                ConsumerRecord<String, byte[]> next = records.get(i + 1);
                if (next.partition() == r.partition() && next.topic().equals(r.topic())) {
                    continue;
                }
            }
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        return offsets;
    }

    @Override
    protected void doRollback() {
        puts.clear();
        if (!taken.isEmpty()) {
            side.giveBack(taken);
            taken.clear();
        }
    }
}
