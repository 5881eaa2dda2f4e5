package io.sluice.sql;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads an engine's flows run on. With {@code threads > 0} every flow gets a
 * {@link FlowMailbox} whose work runs on one of a fixed number of daemon threads
 * ({@code rtsql-worker-N}); a flow is on at most one of them at a time, so its rows stay in order
 * and its state is touched by one thread at a time, while different flows run at once. With
 * {@code threads == 0} there is no pool: each flow's work runs on the thread that delivers its input
 * (a single pushing thread then gives deterministic interleavings, which the local shell and the
 * case tests rely on).
 *
 * <p>Thread-safe. The executor's own queue holds at most one entry per flow (a flow is scheduled
 * again only after its turn ends), so it is bounded by the number of flows; rows wait in the flows'
 * bounded mailboxes.
 */
final class FlowPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlowPool.class);

    /** A thread of the pool: producers on it never wait for mailbox space (see {@link FlowMailbox}). */
    static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    private final int threads;
    private final ThreadPoolExecutor executor;

    /** @param threads worker threads, or 0 to run each flow on the thread that delivers its input */
    FlowPool(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: >= 0)");
        }
        this.threads = threads;
        if (threads == 0) {
            this.executor = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    r -> new Worker(r, "rtsql-worker-" + n.incrementAndGet()));
        }
    }

    /** The number of worker threads (0: flows run on their producers' threads). */
    int threads() {
        return threads;
    }

    /**
     * A new mailbox for one flow, holding at most {@code capacityRows} queued rows; a live input waits
     * at most {@code maxWaitMillis} for space before its batch is dropped for that flow.
     */
    FlowMailbox mailbox(String label, int capacityRows, long maxWaitMillis) {
        return new FlowMailbox(label, executor == null ? null : this::execute, capacityRows, maxWaitMillis);
    }

    /**
     * A mailbox that runs each piece of work at once on the thread that offers it, whatever the
     * pool's size: for a flow whose producer must know its rows went through the operators when the
     * offer returns (a KAFKA stream's reader, which commits offsets from the flow's progress).
     */
    FlowMailbox inlineMailbox(String label, int capacityRows) {
        return new FlowMailbox(label, null, capacityRows, 0);
    }

    private void execute(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("[rtsql] the flow pool is closed; work not run");
        }
    }

    /** True on a thread of some engine's flow pool. */
    static boolean onWorker() {
        return Thread.currentThread() instanceof Worker;
    }

    /** Stops the threads (flows were stopped before). Idempotent. */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
