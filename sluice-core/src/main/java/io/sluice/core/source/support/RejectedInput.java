package io.sluice.core.source.support;

import io.sluice.api.Event;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.support.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Whether the dead-letter channel commits a marker with the letters (a file channel). */
    public boolean keepsMarkers() {
        DeadLetters dl = deadLetters;
        return dl != null && dl.keepsMarkers();
    }

    /** The marker {@code owner} last committed with its letters, if the dead-letter channel keeps one. */
    public Optional<byte[]> committedMarker(String owner) {
        DeadLetters dl = deadLetters;
        return dl == null ? Optional.empty() : dl.committedMarker(owner);
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
        return keepAll(List.of(new Input(input, headers, reason)));
    }

    /**
     * Keeps every input in the dead-letter channel in one transaction. True when all were
     * committed (also for an empty list); false when there is no channel or it refused (then none
     * of them is in it, and each counts in {@code DeadLetterWriteFail}).
     */
    public boolean keepAll(List<Input> inputs) {
        return keepAll(inputs, null, null);
    }

    /**
     * Keeps every input as {@link #keepAll(List)} does, committing {@code owner}'s {@code marker}
     * with them when the dead-letter channel keeps markers ({@link #keepsMarkers()}); a null owner
     * commits no marker.
     */
    public boolean keepAll(List<Input> inputs, String owner, byte[] marker) {
        DeadLetters dl = deadLetters;
        if (inputs.isEmpty()) {
            return true;
        }
        if (dl == null) {
            return false;
        }
        List<Event> out = new ArrayList<>(inputs.size());
        for (Input in : inputs) {
            out.add(dl.letter(in.bytes(), in.headers(), in.reason()));
        }
        try {
            if (owner == null) {
                dl.putLetters(out);
            } else {
                dl.putLetters(out, owner, marker);
            }
            letters.add(inputs.size());
            return true;
        } catch (RuntimeException e) {
            writeFails.add(inputs.size());
            if (failLog.allow()) {
                long held = failLog.takeSuppressed();
                LOG.warn("[{}] could not keep rejected input in dead-letter channel {} ({}): {}{}", label,
                        dl.channelName(), inputs.get(0).reason(), e.getMessage(),
                        held > 0 ? " (" + held + " similar failures not logged)" : "");
            }
            return false;
        }
    }

    /**
     * One piece of rejected input: its bytes (the letter's body), the headers it keeps and why it
     * was rejected. Immutable (the bytes are not copied: hand over an array nothing else changes).
     */
    public record Input(byte[] bytes, Map<String, String> headers, String reason) {
        public Input {
            requireNonNull(bytes, "bytes is null");
            requireNonNull(headers, "headers is null");
            requireNonNull(reason, "reason is null");
        }
    }
}
