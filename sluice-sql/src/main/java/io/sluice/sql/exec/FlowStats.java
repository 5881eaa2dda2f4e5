package io.sluice.sql.exec;

import io.sluice.sql.FlowCounters;
import io.sluice.sql.RejectedEvent;
import io.sluice.sql.expr.ArithmeticErrors;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of one flow and the events it rejected. Not thread-safe: written under the flow's
 * lock; readers take a {@link #snapshot()} under the same lock.
 */
public final class FlowStats implements ArithmeticErrors.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(FlowStats.class);
    /** How many rejected events a flow keeps in memory (all are counted). */
    public static final int MAX_KEPT_REJECTS = 10_000;
    private static final long LOG_INTERVAL_MS = 10_000;

    private final String flowName;
    public long eventsIn;
    public long rowsOut;
    public long rejected;
    public long late;
    public long arithmeticErrors;
    private final List<RejectedEvent> rejects = new ArrayList<>();
    private final RateLimit lateLog = new RateLimit();
    private final RateLimit arithmeticLog = new RateLimit();
    private long lastRejectLog = Long.MIN_VALUE;

    public FlowStats(String flowName) {
        this.flowName = flowName;
    }

    public void reject(String stream, String raw, String reason) {
        rejected++;
        if (rejects.size() < MAX_KEPT_REJECTS) {
            rejects.add(new RejectedEvent(stream, raw, reason));
        }
        long now = System.currentTimeMillis();
        if (now - lastRejectLog >= LOG_INTERVAL_MS) {
            lastRejectLog = now;
            LOG.warn("[{}] rejected an event of stream '{}': {} ({} rejected so far)", flowName, stream, reason,
                    rejected);
        }
    }

    /** Counts a late event and logs at most once per 10 s. */
    public void late(long eventTime, long watermark) {
        late++;
        long since = lateLog.due(late);
        if (since > 0) {
            LOG.warn("[{}] late event at {} behind watermark {}; {} late events since the last message, {} in all",
                    flowName, eventTime, watermark, since, late);
        }
    }

    /** Counts an overflow or division by zero (the value became NULL) and logs at most once per 10 s. */
    @Override
    public void arithmeticError(String what, Object where) {
        arithmeticErrors++;
        long since = arithmeticLog.due(arithmeticErrors);
        if (since > 0) {
            LOG.warn("[{}] {} in {}: the value is NULL; {} arithmetic errors since the last message, {} in all",
                    flowName, what, where, since, arithmeticErrors);
        }
    }

    /** When a repeated message may be logged again: at most once per {@link #LOG_INTERVAL_MS}. */
    private static final class RateLimit {
        private long last = Long.MIN_VALUE;
        private long countAtLast;

        /** How many occurrences since the last message if one may be logged now (count is the total); else 0. */
        long due(long count) {
            long now = System.currentTimeMillis();
            if (now - last < LOG_INTERVAL_MS && last != Long.MIN_VALUE) {
                return 0;
            }
            last = now;
            long since = count - countAtLast;
            countAtLast = count;
            return since;
        }
    }

    public FlowCounters snapshot() {
        return new FlowCounters(eventsIn, rowsOut, rejected, late, arithmeticErrors);
    }

    public List<RejectedEvent> rejectedEvents() {
        return List.copyOf(rejects);
    }
}
