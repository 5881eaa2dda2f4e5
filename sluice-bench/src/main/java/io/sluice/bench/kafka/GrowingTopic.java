package io.sluice.bench.kafka;

import io.sluice.kafka.testing.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import static java.util.Objects.requireNonNull;

/**
 * A benchmark's input topic that grows on demand: record {@code i} is always the same record, so a
 * topic grown between runs still gives every reader the same input, and readers that start from the
 * topic's beginning (a fresh group each run) see the same records in the same order. Growing checks
 * the disk first and logs how long it took. Used on the benchmark's thread only.
 */
public final class GrowingTopic {
    /** Space left free for everything else on the machine, whatever the topic needs. */
    private static final long DISK_RESERVE = 4L << 30;

    private final KafkaBroker broker;
    private final String topic;
    private final Path logDir;
    private final long bytesPerRecord;
    private final Map<String, Object> producerSettings;
    private final LongFunction<ProducerRecord<byte[], byte[]>> record;
    private final Consumer<String> log;
    private long records;

    /**
     * @param broker           the broker holding the topic (already created)
     * @param topic            the topic's name
     * @param logDir           the broker's log directory, to check its disk's free space
     * @param bytesPerRecord   what one record takes on disk, record overhead included (an estimate)
     * @param producerSettings the filling producer's settings
     * @param record           record number {@code i}, for the topic {@code topic}
     * @param log              where fill times go
     */
    public GrowingTopic(KafkaBroker broker, String topic, Path logDir, long bytesPerRecord,
            Map<String, Object> producerSettings, LongFunction<ProducerRecord<byte[], byte[]>> record,
            Consumer<String> log) {
        this.broker = requireNonNull(broker, "broker is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.logDir = requireNonNull(logDir, "logDir is null");
        this.bytesPerRecord = bytesPerRecord;
        this.producerSettings = Map.copyOf(producerSettings);
        this.record = requireNonNull(record, "record is null");
        this.log = requireNonNull(log, "log is null");
    }

    public String topic() {
        return topic;
    }

    /** How many records the topic holds. */
    public long records() {
        return records;
    }

    /**
     * Appends records until the topic holds at least {@code target}; refuses, before writing anything,
     * when that would leave less than 4 GiB free on the broker's disk.
     */
    public void growTo(long target) throws IOException {
        if (target <= records) {
            return;
        }
        long need = (target - records) * bytesPerRecord;
        long free = Files.getFileStore(logDir).getUsableSpace();
        if (free - need < DISK_RESERVE) {
            throw new IllegalStateException(String.format(Locale.ROOT, "topic %s would need %d more records (about"
                    + " %.1f GiB) but %s has %.1f GiB free and %.1f GiB must stay free: shorten --warmup or --seconds,"
                    + " or free disk space", topic, target - records, need / (double) (1L << 30), logDir,
                    free / (double) (1L << 30), DISK_RESERVE / (double) (1L << 30)));
        }
        long t0 = System.nanoTime();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> p = broker.producer(producerSettings)) {
            for (long i = records; i < target && failed.get() == null; i++) {
                p.send(record.apply(i), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            p.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("filling topic " + topic + " failed: " + failed.get(), failed.get());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.accept(String.format(Locale.ROOT, "topic %s grown from %d to %d records in %.1f s (%.0f records/s)", topic,
                records, target, seconds, (target - records) / seconds));
        records = target;
    }

    /** Deletes {@code dir} and everything under it, if it exists (a stopped broker's data). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
