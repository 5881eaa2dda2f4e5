package io.sluice.channel.file.spillable;

import java.util.ArrayDeque;

/**
 * The order in which the events of a spillable memory channel must be taken, as runs: how many
 * events in a row are in memory, then how many in the overflow, and so on, oldest first. Within a
 * run the events are in their queue (memory or file) in order, so the runs are all that is needed
 * to take everything in put order.
 *
 * <p>Not thread-safe: the channel's lock guards it.
 */
final class DrainOrder {
    /** A run: {@code count} events in a row on one side. */
    private static final class Run {
        final boolean memory;
        long count;

        Run(boolean memory, long count) {
            this.memory = memory;
            this.count = count;
        }
    }

    private final ArrayDeque<Run> runs = new ArrayDeque<>();
    private long memoryEvents;
    private long overflowEvents;

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** True when the oldest event is in memory; only when not empty. */
    boolean frontIsMemory() {
        return runs.getFirst().memory;
    }

    /** Events in the oldest run. */
    long frontCount() {
        return runs.getFirst().count;
    }

    long memoryEvents() {
        return memoryEvents;
    }

    long overflowEvents() {
        return overflowEvents;
    }

    /** Records {@code n} events added after every other one. */
    void append(boolean memory, long n) {
        if (n <= 0) {
            return;
        }
        Run last = runs.peekLast();
        if (last != null && last.memory == memory) {
            last.count += n;
        } else {
            runs.addLast(new Run(memory, n));
        }
        count(memory, n);
    }

    /** Records {@code n} events put back before every other one (a rolled-back take). */
    void prepend(boolean memory, long n) {
        if (n <= 0) {
            return;
        }
        Run first = runs.peekFirst();
        if (first != null && first.memory == memory) {
            first.count += n;
        } else {
            runs.addFirst(new Run(memory, n));
        }
        count(memory, n);
    }

    /** Removes {@code n} events from the oldest run, which must be on side {@code memory} and hold them. */
    void removeFront(boolean memory, long n) {
        Run first = runs.peekFirst();
        if (first == null || first.memory != memory || first.count < n) {
            throw new IllegalStateException("cannot take " + n + " events from the " + (memory ? "memory" : "overflow")
                    + " side: the oldest run is " + describe());
        }
        first.count -= n;
        if (first.count == 0) {
            runs.removeFirst();
        }
        count(memory, -n);
    }

    private void count(boolean memory, long n) {
        if (memory) {
            memoryEvents += n;
        } else {
            overflowEvents += n;
        }
    }

    /** The runs, oldest first: {@code [m3, o120, m40]} (m: memory, o: overflow). */
    String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (Run r : runs) {
            sb.append(sb.length() == 1 ? "" : ", ").append(r.memory ? 'm' : 'o').append(r.count);
        }
        return sb.append(']').toString();
    }
}
