package io.sluice.sql.agent;

import io.sluice.api.PollableSource;
import io.sluice.api.Source;
import io.sluice.api.Status;
import io.sluice.core.runner.Backoff;
import io.sluice.core.runner.PollingRunner;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A stream's started source: an event-driven source runs its own threads; a pollable one gets a
 * {@link PollingRunner} with the source's own back-off. {@link #close()} stops the runner, then the
 * source, once; when the engine closes it from the runner's own thread (a finite source whose last
 * batch ended the flow), the stopping is done by a short-lived thread so the runner is not asked to
 * wait for itself. A finite source closes itself once its last event was handed over. Thread-safe.
 */
final class RunningSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningSource.class);

    private final String label;
    private final Source source;
    private final StreamChannelProcessor processor;
    private final PollingRunner runner;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread runnerThread;

    private RunningSource(String label, Source source, StreamChannelProcessor processor) {
        this.label = label;
        this.source = source;
        this.processor = processor;
        if (source instanceof PollableSource) {
            PollableSource ps = (PollableSource) source;
            Backoff backoff = new Backoff(Duration.ofMillis(ps.backOffSleepIncrementMillis()),
                    Duration.ofMillis(ps.maxBackOffSleepMillis()));
            this.runner = new PollingRunner(label, () -> poll(ps), backoff);
        } else {
            this.runner = null;
        }
    }

    /**
     * Connects {@code source} to {@code processor} and starts it (and its runner).
     *
     * @throws RuntimeException from the source's {@code start()} (a port in use, a missing file)
     */
    static RunningSource start(String label, Source source, StreamChannelProcessor processor) {
        requireNonNull(label, "label is null");
        requireNonNull(source, "source is null");
        requireNonNull(processor, "processor is null");
        source.setChannelProcessor(processor);
        RunningSource r = new RunningSource(label, source, processor);
        processor.onFinish(r::closeLater);
        source.start();
        LOG.info("[{}] {} started for rtsql", label, source.getClass().getSimpleName());
        if (r.runner != null) {
            r.runner.start();
        }
        processor.endIfDone();
        return r;
    }

    private Status poll(PollableSource ps) throws Exception {
        runnerThread = Thread.currentThread();
        return ps.process();
    }

    /** Closes on a short-lived thread (called under the processor's lock, maybe by the runner). */
    private void closeLater() {
        Thread t = new Thread(this::close, "rtsql-finish-" + label);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        processor.close();
        if (Thread.currentThread() == runnerThread) {
            Thread t = new Thread(this::stopNow, "rtsql-stop-" + label);
            t.setDaemon(true);
            t.start();
        } else {
            stopNow();
        }
    }

    private void stopNow() {
        try {
            if (runner != null) {
                runner.stop();
            }
        } finally {
            try {
                source.stop();
                LOG.info("[{}] stopped ({} event(s) handed to rtsql)", label, processor.delivered());
            } catch (RuntimeException e) {
                LOG.warn("[{}] stopping the source failed", label, e);
            }
        }
    }
}
