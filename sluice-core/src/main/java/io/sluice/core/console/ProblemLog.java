package io.sluice.core.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The last {@value #CAPACITY} warnings and errors an agent logged, newest last, for the web
 * console ({@code GET /problems}). The launcher feeds it from its logging; older entries fall off.
 * Thread-safe (synchronised on itself; adding is O(1)).
 */
public final class ProblemLog {
    public static final int CAPACITY = 100;

    /** One logged warning or error. */
    public record Entry(Instant time, String level, String logger, String message) {
        public Entry {
            requireNonNull(time, "time is null");
            requireNonNull(level, "level is null");
            requireNonNull(logger, "logger is null");
            requireNonNull(message, "message is null");
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Clock clock;
    private long total;

    public ProblemLog(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public synchronized void add(String level, String logger, String message) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(clock.instant(), level, logger, message));
        total++;
    }

    /** The entries held now, oldest first. */
    public synchronized List<Entry> recent() {
        return new ArrayList<>(entries);
    }

    /** How many were added since start (held or fallen off). */
    public synchronized long total() {
        return total;
    }
}
