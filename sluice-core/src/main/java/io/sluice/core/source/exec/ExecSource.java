package io.sluice.core.source.exec;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * <p>A line holds at most {@code maxLineLength} bytes. With {@code deadLetter.channel}, a longer
 * line (its first {@code maxLineLength} bytes) and a line that is not valid in {@code charset} go
 * to the dead-letter channel with the reason, counted in {@code EventReadFail}; without one, or when
 * that channel refuses them, a longer line is split into several events (counted in
 * {@code EventSplitCount}) and an undecodable line is delivered with replacement characters, as
 * Apache Flume's exec source does. (For a charset in which a newline is not the single byte 10,
 * such as UTF-16, lines are read as characters, without these checks.)
 *
 * <p>Thread-safe: start and stop are synchronised; the work runs on the source's own threads.
 */
public final class ExecSource extends AbstractSource implements EventDrivenSource, BatchSizeAware, DeadLetterAware {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSource.class);
    /** Counter of lines split because they were longer than {@code maxLineLength}. */
    public static final String EVENT_SPLIT = "EventSplitCount";
    private static final byte[] EOF_MARK = new byte[0];

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
    private final int maxLineLength;
    private final RejectedInput rejected;
    private final LongAdder splits;

    private volatile boolean running;
    private volatile Process process;
    private CountDownLatch stopped = new CountDownLatch(1);
    private Thread runner;

    ExecSource(String name, String logName, List<String> commandLine, boolean restart, long restartThrottleMillis,
            boolean logStdErr, int batchSize, long batchTimeoutMillis, Charset charset, int maxLineLength,
            SourceCounter counter, Clock clock) {
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
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: > 0)");
        }
        this.maxLineLength = maxLineLength;
        this.rejected = new RejectedInput(logName, counter);
        this.splits = counter.counter(EVENT_SPLIT);
    }

    /** Lines over {@code maxLineLength} and undecodable lines go to this channel (see the class comment). */
    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        rejected.setDeadLetters(deadLetters);
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
        BlockingQueue<byte[]> lines = new ArrayBlockingQueue<>(Math.max(16, batchSize * 2));
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

    private void readLines(Process p, BlockingQueue<byte[]> lines) {
        try {
            if (LineSplitter.splitsBytes(charset)) {
                splitLines(p.getInputStream(), lines);
            } else {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), charset))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.put(line.getBytes(charset));
                    }
                }
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

    /**
     * Cuts stdout into lines of at most {@code maxLineLength} bytes. A longer line goes to the
     * dead-letter channel (its first {@code maxLineLength} bytes; the rest is dropped) when one is
     * set and takes it, else it is split into several events. A line that is not valid in
     * {@code charset} goes to the dead-letter channel as it is when one is set and takes it, else it
     * is delivered with replacement characters, as before.
     */
    private void splitLines(InputStream stdout, BlockingQueue<byte[]> lines) throws IOException, InterruptedException {
        try (InputStream in = stdout) {
            LineSplitter splitter = new LineSplitter(in, maxLineLength);
            boolean dropping = false;
            LineSplitter.Line line;
            while ((line = splitter.next()) != null) {
                if (dropping) {
                    dropping = line.continued();
                    continue;
                }
                if (line.continued() && line.piece() == 0) {
                    if (rejected.keeps()) {
                        counter.incrementEventReadFail();
                        if (rejected.keep(line.bytes(), Map.of(), "line longer than maxLineLength " + maxLineLength
                                + " bytes; its first " + maxLineLength + " bytes are kept, the rest is dropped")) {
                            dropping = true;
                            continue;
                        }
                    }
                    splits.increment();
                }
                if (line.piece() > 0 && line.bytes().length == 0) {
                    continue; // the stream ended right after a piece of full length
                }
                byte[] body = line.bytes();
                if (!line.continued() && line.piece() == 0) {
                    String undecodable = undecodable(body);
                    if (undecodable != null) {
                        if (rejected.keeps()) {
                            counter.incrementEventReadFail();
                            if (rejected.keep(body, Map.of(), undecodable)) {
                                continue;
                            }
                        }
                        body = new String(body, charset).getBytes(charset);
                    }
                }
                lines.put(body);
            }
        }
    }

    /** Why {@code line} is not valid in the charset, or null when it is. */
    private String undecodable(byte[] line) {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(line);
        CharBuffer out = CharBuffer.allocate(Math.max(16, line.length));
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (!r.isError()) {
            return null;
        }
        return "line of " + line.length + " bytes is not valid " + charset.name() + ": " + (r.isMalformed()
                ? "malformed" : "unmappable") + " input of " + r.length() + " byte(s) at byte " + in.position()
                + " (set charset to the command's output encoding)";
    }

    private void batchLines(BlockingQueue<byte[]> lines) throws InterruptedException {
        List<Event> batch = new ArrayList<>(batchSize);
        long deadline = 0;
        while (running) {
            long wait = batch.isEmpty() ? 200 : Math.max(0, deadline - System.nanoTime()) / 1_000_000L;
            byte[] line = lines.poll(wait, TimeUnit.MILLISECONDS);
            if (line == EOF_MARK) {
                commit(batch);
                return;
            }
            if (line != null) {
                if (batch.isEmpty()) {
                    deadline = System.nanoTime() + batchTimeoutMillis * 1_000_000L;
                }
                counter.addReceived(1);
                batch.add(Event.wrap(Map.of(), line));
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
