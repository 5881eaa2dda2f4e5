package io.sluice.kafka.sink;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A real Kafka producer interceptor (set with {@code kafka.producer.interceptor.classes}) that, once
 * armed, holds the producer's I/O thread on the first acknowledgement until released. With records
 * lingering until the commit flushes them, that acknowledgement arrives inside
 * {@code commitTransaction}, so the commit cannot reach the coordinator within {@code max.block.ms}
 * and times out; after the release the commit goes on and the transaction commits.
 */
public final class HoldingInterceptor implements ProducerInterceptor<Object, Object> {
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static volatile CountDownLatch held = new CountDownLatch(1);
    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** Holds the next acknowledgement of any producer using this interceptor. */
    static void arm() {
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        ARMED.set(true);
    }

    /** True once an acknowledgement is being held. */
    static boolean holding() {
        return held.getCount() == 0;
    }

    /** Lets the held acknowledgement (and the producer's I/O thread) go on. */
    static void release() {
        ARMED.set(false);
        release.countDown();
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (ARMED.compareAndSet(true, false)) {
            held.countDown();
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
