package io.sluice.e2e.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An application writing numbered lines to a log file at a steady rate from its own thread, the
 * way a real service does: through one open file descriptor in append mode, which it reopens only
 * when told (after a rotation, as on SIGHUP). Line {@code n} is {@link #line(long)}. It remembers
 * where each line went: {@link #mark} records, with the writer paused, the first line of a new
 * generation of the file. Thread-safe: the lock guards the descriptor, the line counter and the
 * marks.
 */
final class RotatingLog implements AutoCloseable {
    /** Runs with the writer paused. */
    interface Action {
        void run() throws IOException, InterruptedException;
    }

    /** From line {@code firstLine} on, the lines went to a new generation of the file, which {@code what} names. */
    record Mark(long firstLine, String what) {
    }

    private final Path file;
    private final long linesPerSecond;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private FileChannel out;
    private long written;
    private final List<Mark> marks = new ArrayList<>();

    RotatingLog(Path file, long linesPerSecond) throws IOException {
        this.file = file;
        this.linesPerSecond = linesPerSecond;
        this.out = open();
        this.marks.add(new Mark(0, file.getFileName() + " as first created"));
        this.thread = new Thread(this::loop, "rotating-log-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static String line(long n) {
        return String.format("%010d the quick brown fox jumps over the lazy dog", n);
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void loop() {
        long start = System.nanoTime();
        StringBuilder b = new StringBuilder();
        try {
            while (running) {
                long due = (System.nanoTime() - start) / 1000 * linesPerSecond / 1_000_000;
                lock.lock();
                try {
                    b.setLength(0);
                    for (long n = written; n < due; n++) {
                        b.append(line(n)).append('\n');
                    }
                    ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII));
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                    written = Math.max(written, due);
                } finally {
                    lock.unlock();
                }
                LockSupport.parkNanos(1_000_000);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    /** Lines written so far (all of them, once {@link #close()} returned). */
    long written() {
        lock.lock();
        try {
            return written;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the descriptor and opens (creating if needed) the file at the log's path again; the
     * lines from now on are marked as going to {@code what}.
     */
    void reopen(String what) throws IOException {
        paused(() -> {
            out.close();
            out = open();
            mark(what);
        });
    }

    /** Marks the lines from now on as going to {@code what} (a file generation, an agent run). */
    void mark(String what) {
        lock.lock();
        try {
            marks.add(new Mark(written, what));
        } finally {
            lock.unlock();
        }
    }

    /** The marks so far, oldest first. */
    List<Mark> marks() {
        lock.lock();
        try {
            return List.copyOf(marks);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} while no line is written. */
    void paused(Action action) throws IOException {
        lock.lock();
        try {
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            lock.unlock();
        }
        check();
    }

    private void check() {
        if (failure != null) {
            throw new UncheckedIOException("the log writer failed", failure instanceof IOException io ? io
                    : new IOException(failure));
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            out.close();
        } finally {
            lock.unlock();
        }
        check();
    }
}
