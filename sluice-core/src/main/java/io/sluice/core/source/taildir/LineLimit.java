package io.sluice.core.source.taildir;

import io.sluice.core.source.support.RejectedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * What a {@code TAILDIR} source does with a line longer than {@code maxLineLength} bytes (its
 * newline, and a {@code \r} before it, not counted). With a dead-letter channel ({@link #keepsLetters}),
 * the line's first {@code maxLineLength} bytes become a letter of the batch being read
 * ({@link #letters()}) and the rest of the line is skipped; without one the line is cut into events
 * of at most {@code maxLineLength} bytes, and each line so cut counts in {@link #splits}.
 *
 * <p>Not thread-safe: one per reader thread of a source (see {@code readerThreads}), used by that
 * thread only; the letters are those of the batch being read and are cleared before the next read.
 */
final class LineLimit {
    /** No limit: a line is held however long it is (Apache Flume's behaviour; tests of the buffer). */
    static final int UNLIMITED = Integer.MAX_VALUE - 16;

    private final int maxLineLength;
    private final boolean keepsLetters;
    private final LongAdder splits;
    private final List<RejectedInput.Input> letters = new ArrayList<>();

    LineLimit(int maxLineLength, boolean keepsLetters, LongAdder splits) {
        if (maxLineLength < 1 || maxLineLength > UNLIMITED) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: 1.." + UNLIMITED + ")");
        }
        this.maxLineLength = maxLineLength;
        this.keepsLetters = keepsLetters;
        this.splits = requireNonNull(splits, "splits is null");
    }

    /** No limit, nothing counted. */
    static LineLimit unlimited() {
        return new LineLimit(UNLIMITED, false, new LongAdder());
    }

    int maxLineLength() {
        return maxLineLength;
    }

    /** Whether a long line goes to the dead-letter channel (else it is split). */
    boolean keepsLetters() {
        return keepsLetters;
    }

    /** A line was cut into several events. */
    void split() {
        splits.increment();
    }

    /** The letters of the batch being read, in file order. */
    List<RejectedInput.Input> letters() {
        return letters;
    }
}
