package io.sluice.core.source.exec;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Runs {@code command} (through {@code shell} when set) and commits each stdout line as an event,
 * in batches of up to {@code batchSize} lines or whatever arrived within {@code batchTimeout} ms.
 * When the channel refuses a batch the same batch is retried with a growing pause (up to 1 s) and
 * no more lines are read meanwhile, so the child blocks rather than lines being dropped. When the
 * command ends it is started again after {@code restartThrottle} ms if {@code restart} is on.
 * {@link #stop()} kills the child and its descendants.
 *
 * <p>Thread-safe: start and stop are synchronised; the work runs on the source's own threads.
 */
public final class ExecSource extends AbstractSource implements EventDrivenSource, BatchSizeAware {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSource.class);
    private static final String EOF_MARK = new String("<eof>");

    private final String logName;
    private final List<String> commandLine;
    private final boolean restart;
    private final long restartThrottleMillis;
    private final boolean logStdErr;
    private final int batchSize;
    private final long batchTimeoutMillis;
    private final Charset charset;
    private final SourceCounter counter;
    private final Clock clock;
    private final RateLimitedLog rejectLog;

    private volatile boolean running;
    private volatile Process process;
    private CountDownLatch stopped = new CountDownLatch(1);
    private Thread runner;

    ExecSource(String name, String logName, List<String> commandLine, boolean restart, long restartThrottleMillis,
            boolean logStdErr, int batchSize, long batchTimeoutMillis, Charset charset, SourceCounter counter,
            Clock clock) {
        super(name);
        this.logName = requireNonNull(logName, "logName is null");
        this.commandLine = List.copyOf(commandLine);
        this.restart = restart;
        this.restartThrottleMillis = restartThrottleMillis;
        this.logStdErr = logStdErr;
        this.batchSize = batchSize;
        this.batchTimeoutMillis = batchTimeoutMillis;
        this.charset = requireNonNull(charset, "charset is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.rejectLog = new RateLimitedLog(LOG, 5000, clock);
    }

    @Override
    protected void doStart() {
        getChannelProcessor(); // fails clearly when the agent has not set it yet
        running = true;
        stopped = new CountDownLatch(1);
        runner = new Thread(this::runLoop, "exec-source-" + name());
        runner.setDaemon(true);
        runner.start();
        counter.markStarted(clock.millis());
        LOG.info("[{}] exec source running {}", logName, commandLine);
    }

    @Override
    protected void doStop() {
        if (runner == null) {
            return;
        }
        running = false;
        stopped.countDown();
        kill(process);
        try {
            runner.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runner.isAlive()) {
            runner.interrupt();
            LOG.warn("[{}] exec source thread did not end within 10 s of stop", logName);
        }
        runner = null;
        counter.markStopped(clock.millis());
        LOG.info("[{}] exec source stopped", logName);
    }

    /** The running child, if any (for tests and diagnostics). */
    public ProcessHandle currentProcess() {
        Process p = process;
        return p == null ? null : p.toHandle();
    }

    private void runLoop() {
        while (running) {
            Integer exit = runOnce();
            if (!running) {
                break;
            }
            if (!restart) {
                LOG.info("[{}] command exited{}; restart is off, so the source idles", logName,
                        exit == null ? "" : " with code " + exit);
                break;
            }
            LOG.info("[{}] command exited{}; restarting in {} ms", logName, exit == null ? "" : " with code " + exit,
                    restartThrottleMillis);
            if (awaitStop(restartThrottleMillis)) {
                break;
            }
        }
    }

    /** Runs the command once to its end; returns its exit code, or null when it could not start. */
    private Integer runOnce() {
        Process p;
        try {
            p = new ProcessBuilder(commandLine).start();
        } catch (IOException e) {
            counter.incrementGenericProcessingFail();
            LOG.error("[{}] cannot start {}: {}", logName, commandLine, e.getMessage());
            return null;
        }
        process = p;
        if (!running) {
            kill(p);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("[{}] closing the command's stdin failed", logName, e);
        }
        Thread err = new Thread(new StderrLogger(logName, new BufferedReader(new InputStreamReader(p.getErrorStream(),
                charset)), logStdErr, 20), "exec-stderr-" + name());
        err.setDaemon(true);
        err.start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(Math.max(16, batchSize * 2));
        Thread out = new Thread(() -> readLines(p, lines), "exec-stdout-" + name());
        out.setDaemon(true);
        out.start();
        try {
            batchLines(lines);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!running) {
                kill(p);
            }
        }
        try {
            if (!p.waitFor(running ? Long.MAX_VALUE : 5000, TimeUnit.MILLISECONDS)) {
                kill(p);
            }
            out.join(5000);
            if (out.isAlive()) {
                out.interrupt();
            }
            err.join(5000);
            return p.isAlive() ? null : p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            return null;
        } finally {
            process = null;
        }
    }

    private void readLines(Process p, BlockingQueue<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), charset))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.put(line);
            }
        } catch (IOException e) {
            if (running) {
                LOG.warn("[{}] reading the command's stdout failed: {}", logName, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            lines.put(EOF_MARK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("StringEquality")
    private void batchLines(BlockingQueue<String> lines) throws InterruptedException {
        List<Event> batch = new ArrayList<>(batchSize);
        long deadline = 0;
        while (running) {
            long wait = batch.isEmpty() ? 200 : Math.max(0, deadline - System.nanoTime()) / 1_000_000L;
            String line = lines.poll(wait, TimeUnit.MILLISECONDS);
            if (line == EOF_MARK) {
                commit(batch);
                return;
            }
            if (line != null) {
                if (batch.isEmpty()) {
                    deadline = System.nanoTime() + batchTimeoutMillis * 1_000_000L;
                }
                counter.addReceived(1);
                batch.add(Event.wrap(Map.of(), line.getBytes(charset)));
                if (batch.size() >= batchSize) {
                    commit(batch);
                }
            } else if (!batch.isEmpty() && System.nanoTime() - deadline >= 0) {
                commit(batch);
            }
        }
        commit(batch);
    }

    /** Commits the batch, retrying while the channel refuses it and the source runs; then clears it. */
    private void commit(List<Event> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        long pause = 50;
        while (true) {
            try {
                getChannelProcessor().processEventBatch(batch);
                counter.incrementAppendBatchAccepted();
                counter.addAccepted(batch.size());
                batch.clear();
                return;
            } catch (ChannelException e) {
                counter.incrementChannelWriteFail();
                rejectLog.warn("[{}] the channel refused a batch of {} lines; retrying (the command is paused"
                        + " meanwhile): {}", logName, batch.size(), e.getMessage());
            } catch (RuntimeException e) {
                counter.incrementGenericProcessingFail();
                rejectLog.warn("[{}] processing a batch of {} lines failed; retrying", logName, batch.size(), e);
            }
            if (!running) {
                LOG.error("[{}] stopping with {} lines the channel did not accept; they are lost", logName,
                        batch.size());
                batch.clear();
                return;
            }
            if (awaitStop(pause)) {
                continue;
            }
            pause = Math.min(1000, pause * 2);
        }
    }

    /** Waits up to {@code millis}; true when stop was requested. */
    private boolean awaitStop(long millis) {
        try {
            return stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void kill(Process p) {
        if (p == null) {
            return;
        }
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    @Override
    public int batchSize() {
        return batchSize;
    }
}
