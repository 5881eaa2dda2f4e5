package io.sluice.core.source.support;

import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.support.RateLimitedLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Where a source keeps input it rejects (an invalid syslog line, a request body that is not an
 * event list, a line over the length limit): with {@code deadLetter.channel} set, the input goes
 * there as the event body, with the reason in {@code sluice.error}; without one it is only
 * counted and logged, as before. The source counts the rejection itself (e.g. in
 * {@code EventReadFail}); this class adds {@code EventDeadLetterCount} for letters committed and
 * {@code DeadLetterWriteFail} for letters the dead-letter channel refused (then the input is lost
 * as it would be without one, and the failure is logged, rate-limited).
 *
 * <p>Thread-safe: a source's connections may call {@link #keep} at once.
 */
public final class RejectedInput implements DeadLetterAware {
    /** Letters committed to the dead-letter channel. */
    public static final String DEAD_LETTER_COUNT = "EventDeadLetterCount";
    /** Letters the dead-letter channel refused. */
    public static final String DEAD_LETTER_WRITE_FAIL = "DeadLetterWriteFail";
    private static final Logger LOG = LoggerFactory.getLogger(RejectedInput.class);

    private final String label;
    private final LongAdder letters;
    private final LongAdder writeFails;
    private final RateLimitedLog failLog = new RateLimitedLog(Duration.ofSeconds(10));
    private volatile DeadLetters deadLetters;

    /** @param counters the source's counters, where the two counters above are added */
    public RejectedInput(String label, CounterGroup counters) {
        this.label = requireNonNull(label, "label is null");
        this.letters = counters.counter(DEAD_LETTER_COUNT);
        this.writeFails = counters.counter(DEAD_LETTER_WRITE_FAIL);
    }

    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
    }

    /** Whether rejected input is kept (a dead-letter channel is set). */
    public boolean keeps() {
        return deadLetters != null;
    }

    /**
     * Keeps {@code input} with {@code headers} and {@code reason} in the dead-letter channel when one
     * is set. True when the letter was committed; false when there is no channel or it refused.
     */
    public boolean keep(byte[] input, Map<String, String> headers, String reason) {
        DeadLetters dl = deadLetters;
        if (dl == null) {
            return false;
        }
        try {
            dl.putLetters(List.of(dl.letter(input, headers, reason)));
            letters.increment();
            return true;
        } catch (RuntimeException e) {
            writeFails.increment();
            if (failLog.allow()) {
                long held = failLog.takeSuppressed();
                LOG.warn("[{}] could not keep rejected input in dead-letter channel {} ({}): {}{}", label,
                        dl.channelName(), reason, e.getMessage(),
                        held > 0 ? " (" + held + " similar failures not logged)" : "");
            }
            return false;
        }
    }
}
