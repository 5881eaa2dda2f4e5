package io.sluice.kafka.channel;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.PutCommitListeners;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.support.AbstractComponent;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.TopicReadiness;
import io.sluice.kafka.source.KafkaSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A Kafka topic as a channel, as Apache Flume 1.11's Kafka channel: a put produces on commit and the
 * commit returns only once Kafka acknowledged every record ({@code acks=all}); a take reads through
 * the taking thread's own consumer ({@link TakeSide}) and commits the offsets of what it took on
 * commit, so a rollback, a crash or a restart gives the events back rather than losing them. With
 * {@code parseAsFlumeEvent} (the default) records are Flume's Avro events, headers included, so a
 * Sluice agent can take over the topic of a Flume Kafka channel and the other way round.
 *
 * <p>Thread-safe: producers are one per putting thread, so one thread's flush never ships another
 * thread's put while that put's records are still being handed over (the producer of a thread that
 * ended is closed when the next new putting thread comes); consumers are one per taking thread. Both are closed on {@code stop()}, which the agent calls after its sources and sinks stopped.
 */
public final class KafkaChannel extends AbstractComponent implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaChannel.class);

    private final String label;
    private final KafkaChannelConfig config;
    private final ChannelCounter counter;
    private final List<TakeSide> takeSides = new ArrayList<>();
    private final ThreadLocal<TakeSide> takeSide = new ThreadLocal<>();
    private final PutCommitListeners putListeners = new PutCommitListeners();
    private final Map<Thread, Producer<String, byte[]>> producers = new HashMap<>();
    /** Made on start, so a producer setting Kafka refuses fails the start; the first putting thread takes it. */
    private Producer<String, byte[]> spare;
    private volatile TopicReadiness readiness;
    private final LongSupplier nanoClock;
    private volatile boolean running;

    public KafkaChannel(String name, String label, KafkaChannelConfig config, ChannelCounter counter) {
        this(name, label, config, counter, System::nanoTime);
    }

    /** With {@code nanoClock} standing for {@link System#nanoTime()} in the take side's commit interval. */
    KafkaChannel(String name, String label, KafkaChannelConfig config, ChannelCounter counter, LongSupplier nanoClock) {
        super(name);
        this.label = requireNonNull(label, "label is null");
        this.config = requireNonNull(config, "config is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    }

    public KafkaChannelConfig config() {
        return config;
    }

    @Override
    protected void doStart() {
        Producer<String, byte[]> first = new KafkaProducer<>(config.producerProperties());
        synchronized (producers) {
            spare = first;
        }
        readiness = new TopicReadiness(label, config.producerProperties());
        running = true;
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] Kafka channel on topic {} (group '{}') at {}", label, config.topic(), config.groupId(),
                config.bootstrapServers());
    }

    @Override
    protected void doStop() {
        running = false;
        List<TakeSide> sides;
        synchronized (takeSides) {
            sides = new ArrayList<>(takeSides);
            takeSides.clear();
        }
        for (TakeSide s : sides) {
            s.close();
        }
        List<Producer<String, byte[]>> ps;
        synchronized (producers) {
            ps = new ArrayList<>(producers.values());
            producers.clear();
            if (spare != null) {
                ps.add(spare);
                spare = null;
            }
        }
        close(ps);
        counter.markStopped(System.currentTimeMillis());
    }

    @Override
    public Transaction getTransaction() {
        return new KafkaChannelTransaction(this);
    }

    /**
     * Runs {@code listener} after each put commit, once Kafka acknowledged its events: a sink of this
     * agent that found the topic empty and is backing off takes them at once rather than after its
     * back-off. Puts by other agents sharing the topic are not seen; those sinks poll as before.
     */
    @Override
    public boolean addPutCommitListener(Runnable listener) {
        putListeners.add(listener);
        return true;
    }

    @Override
    public void removePutCommitListener(Runnable listener) {
        putListeners.remove(listener);
    }

    /** Called by a transaction whose put commit Kafka acknowledged. */
    void putCommitted() {
        putListeners.fire();
    }

    String label() {
        return label;
    }

    ChannelCounter counter() {
        return counter;
    }

    /**
     * The calling thread's producer, made on its first put. A put's commit hands all its records to it and
     * flushes; with a producer shared between threads, another thread's flush (which makes every batch
     * ready at once) could ship this put's first records while the rest were still being handed over.
     */
    Producer<String, byte[]> producer() {
        Thread me = Thread.currentThread();
        List<Producer<String, byte[]>> ended = new ArrayList<>();
        Producer<String, byte[]> p;
        synchronized (producers) {
            if (!running) {
                throw new ChannelException("[" + label + "] the Kafka channel is not running");
            }
            p = producers.get(me);
            if (p == null) {
                // Threads that ended have no put under way (a commit runs on its thread): close their producers.
                producers.entrySet().removeIf(e -> !e.getKey().isAlive() && ended.add(e.getValue()));
                p = spare != null ? spare : new KafkaProducer<>(config.producerProperties());
                spare = null;
                producers.put(me, p);
            }
        }
        close(ended);
        return p;
    }

    private void close(List<Producer<String, byte[]>> ps) {
        for (Producer<String, byte[]> p : ps) {
            try {
                p.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("[{}] closing a Kafka producer failed: {}", label, e.toString());
            }
        }
    }

    /** Waits, on the first put only, until the topic's leaders take writes (see {@link TopicReadiness}). */
    void awaitTopicReady(Producer<String, byte[]> p) {
        readiness.await(p, config.topic());
    }

    /** The calling thread's consumer, made on its first take. */
    TakeSide takeSide() {
        TakeSide s = takeSide.get();
        if (s != null && !s.isClosed()) {
            return s;
        }
        if (!running) {
            throw new ChannelException("[" + label + "] the Kafka channel is not running");
        }
        s = new TakeSide(label, config, nanoClock);
        synchronized (takeSides) {
            takeSides.add(s);
        }
        takeSide.set(s);
        return s;
    }

    /** The record a put of {@code e} produces: key from the {@code key} header, partition from the keys. */
    ProducerRecord<String, byte[]> toRecord(Event e) {
        Map<String, String> h = e.headers();
        Integer partition = config.defaultPartitionId().orElse(null);
        if (config.partitionIdHeader().isPresent()) {
            String v = h.get(config.partitionIdHeader().get());
            if (v != null) {
                try {
                    partition = Integer.parseInt(v.trim());
                } catch (NumberFormatException x) {
                    throw new ChannelException("[" + label + "] header " + config.partitionIdHeader().get() + " = '"
                            + v + "' is not a partition number; fix the events or the partitionIdHeader key");
                }
            }
        }
        byte[] value = config.parseAsFlumeEvent() ? FlumeEventCodec.encode(e) : e.body();
        return new ProducerRecord<>(config.topic(), partition, h.get(KafkaSource.KEY_HEADER), value);
    }
}
