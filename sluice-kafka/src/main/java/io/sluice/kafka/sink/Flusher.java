package io.sluice.kafka.sink;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Lets a pipelined sink's records leave at once without blocking the sink's thread: Kafka's producer
 * holds records up to {@code linger.ms} hoping to fill a batch, and only {@code flush()} (which also
 * blocks until everything sent so far is acknowledged) ends that wait. The sink asks for a flush
 * after sending each batch; this thread runs it, so the sink can take and send the next batch while
 * the flush waits. While a flush runs the producer sends every new record at once too, so one
 * request covers any number of batches sent meanwhile.
 *
 * <p>Thread-safety: {@link #request()} and {@link #close()} may be called from any thread; Kafka's
 * producer is thread-safe.
 */
final class Flusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final Producer<?, ?> producer;
    private final Thread thread;
    /** Guarded by {@code this}. */
    private boolean requested;
    /** Guarded by {@code this}. */
    private boolean closed;

    Flusher(String label, Producer<?, ?> producer) {
        this.producer = requireNonNull(producer, "producer is null");
        this.thread = new Thread(this::loop, "kafka-sink-flusher-" + label);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a flush of everything sent so far; returns at once. */
    synchronized void request() {
        requested = true;
        notifyAll();
    }

    private void loop() {
        while (true) {
            synchronized (this) {
                while (!requested && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                requested = false;
            }
            try {
                producer.flush();
            } catch (InterruptException e) {
                return;
            } catch (RuntimeException e) {
                // A failed record fails its own future, which the sink awaits and reports.
                LOG.debug("flush ended with {}", e.toString());
            }
        }
    }

    /** Stops the thread (interrupting a flush in progress) and waits for it; call before closing the producer. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
