package io.sluice.core.interceptor;

import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.support.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The common part of the interceptors that parse the body into headers ({@code json},
 * {@code csv}, {@code xml}): a subclass turns a body into header values or says why it cannot;
 * this class adds the values to the event's headers (replacing headers of the same name) and
 * applies {@code onError} to an event it cannot parse:
 * <ul>
 *   <li>{@code pass} (default): the event goes on unchanged;</li>
 *   <li>{@code drop}: the event is dropped;</li>
 *   <li>{@code deadLetter}: the event goes to the source's dead-letter channel (its
 *       {@code deadLetter.channel}, required then) with the reason in {@code sluice.error}; the
 *       letters of a batch are committed there before the rest of the batch goes on, and if they
 *       cannot be, the source's whole batch fails and its sender is refused, so nothing is lost.</li>
 * </ul>
 * Counted among the source's counters: {@code InterceptorParseFail} (every event that could not
 * be parsed), {@code InterceptorDropCount} (dropped by {@code onError = drop}) and
 * {@code EventDeadLetterCount} (set aside by {@code onError = deadLetter}).
 *
 * <p>Thread-safe: the subclass's {@link #parse} must be, and the counters are lock-free.
 */
public abstract class BodyParsingInterceptor implements Interceptor, DeadLetterAware, SourceCountingInterceptor {
    public static final String PARSE_FAIL = "InterceptorParseFail";
    public static final String DROP_COUNT = "InterceptorDropCount";
    public static final String DEAD_LETTER_COUNT = "EventDeadLetterCount";

    /** The {@code onError} key every body-parsing interceptor has. */
    public static final ConfigKey<String> ON_ERROR = ConfigKey.choiceKey("onError", "pass",
            "What happens to an event whose body cannot be parsed: pass (unchanged), drop, or deadLetter (to the"
                    + " source's deadLetter.channel).", "pass", "drop", "deadLetter");

    private static final Logger LOG = LoggerFactory.getLogger(BodyParsingInterceptor.class);

    /** What happens to an event that cannot be parsed. */
    public enum OnError { PASS, DROP, DEAD_LETTER }

    /** A body that cannot be parsed, with the reason for people. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        public ParseException(String reason) {
            super(reason);
        }
    }

    private final String label;
    private final OnError onError;
    private final RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10));
    private volatile CounterGroup counters;
    private volatile DeadLetters deadLetters;

    protected BodyParsingInterceptor(String label, OnError onError) {
        this.label = requireNonNull(label, "label is null");
        this.onError = requireNonNull(onError, "onError is null");
        this.counters = new CounterGroup("INTERCEPTOR", label);
    }

    /** Reads {@code onError}. */
    static OnError onError(ComponentContext context) {
        return switch (context.get(ON_ERROR)) {
            case "drop" -> OnError.DROP;
            case "deadLetter" -> OnError.DEAD_LETTER;
            default -> OnError.PASS;
        };
    }

    /**
     * The headers to add for {@code event}, in order; a value that is absent from the body is left
     * out. Throws {@link ParseException} with the reason when the body cannot be parsed.
     */
    protected abstract Map<String, String> parse(Event event) throws ParseException;

    @Override
    public final void countIn(CounterGroup sourceCounters) {
        this.counters = requireNonNull(sourceCounters, "sourceCounters is null");
    }

    @Override
    public final void setDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
    }

    @Override
    public final boolean requiresDeadLetters() {
        return onError == OnError.DEAD_LETTER;
    }

    public final OnError onError() {
        return onError;
    }

    @Override
    public final Event intercept(Event event) {
        List<Event> out = intercept(List.of(event));
        return out.isEmpty() ? null : out.get(0);
    }

    @Override
    public final List<Event> intercept(List<Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        List<Event> letters = null;
        for (Event e : events) {
            Map<String, String> values;
            try {
                values = parse(e);
            } catch (ParseException | RuntimeException x) {
                String reason = x instanceof ParseException ? x.getMessage() : "the parser failed: " + x;
                counters.counter(PARSE_FAIL).increment();
                switch (onError) {
                    case PASS -> out.add(e);
                    case DROP -> counters.counter(DROP_COUNT).increment();
                    case DEAD_LETTER -> {
                        if (letters == null) {
                            letters = new ArrayList<>();
                        }
                        letters.add(deadLetters().letter(e, reason));
                    }
                    default -> throw new IllegalStateException(onError.name());
                }
                if (log.allow()) {
                    long held = log.takeSuppressed();
                    LOG.warn("[{}] cannot parse an event's body ({}); onError = {}{}", label, reason,
                            onError.name().toLowerCase(Locale.ROOT),
                            held > 0 ? " (" + held + " similar messages not logged)" : "");
                }
                continue;
            }
            if (values.isEmpty()) {
                out.add(e);
            } else {
                Map<String, String> headers = new LinkedHashMap<>(e.headers());
                headers.putAll(values);
                out.add(e.withHeaders(headers));
            }
        }
        if (letters != null) {
            deadLetters().putLetters(letters); // throws: the source's batch fails and nothing is committed
            counters.counter(DEAD_LETTER_COUNT).add(letters.size());
        }
        return out;
    }

    private DeadLetters deadLetters() {
        DeadLetters dl = deadLetters;
        if (dl == null) {
            throw new IllegalStateException("[" + label + "] onError = deadLetter but the source has no"
                    + " deadLetter.channel; the agent checks this before it starts");
        }
        return dl;
    }

    /** The component's label, e.g. {@code a1.sources.r1.interceptors.i1}. */
    protected final String label() {
        return label;
    }
}
