package io.sluice.api.deadletter;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.MarkedTransaction;
import io.sluice.api.SourceMarkerChannel;
import io.sluice.api.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where one component puts its dead letters: a channel of the agent, written in transactions of
 * its own. {@link #put} returns only after the letters are committed there, and throws
 * {@link ChannelException} (nothing committed) otherwise, so a sink can commit its take only after
 * its dead letters are safe, and a source can refuse its sender when they are not.
 *
 * <p>A letter is the original event (headers and body) plus {@link #ERROR} (the reason),
 * {@link #COMPONENT} (the component's label, e.g. {@code a1.sinks.k1}) and {@link #FAILED_AT}
 * (ISO-8601 UTC, e.g. {@code 2026-12-06T13:05:00.123Z}); these three replace any earlier values,
 * so a letter that fails again says where it failed last.
 *
 * <p>Thread-safe: every call uses its own transaction.
 */
public final class DeadLetters {
    /** Header with the reason the event or input was set aside. */
    public static final String ERROR = "sluice.error";
    /** Header with the label of the component that set it aside, e.g. {@code a1.sources.r1}. */
    public static final String COMPONENT = "sluice.component";
    /** Header with the time it was set aside, ISO-8601 in UTC. */
    public static final String FAILED_AT = "sluice.failedAt";

    private final Channel channel;
    private final String component;
    private final Clock clock;

    /**
     * @param channel the dead-letter channel
     * @param component the label of the component whose letters these are, e.g. {@code a1.sinks.k1}
     */
    public DeadLetters(Channel channel, String component, Clock clock) {
        this.channel = requireNonNull(channel, "channel is null");
        this.component = requireNonNull(component, "component is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The same channel for another component (an interceptor uses its source's channel). */
    public DeadLetters forComponent(String otherComponent) {
        return new DeadLetters(channel, otherComponent, clock);
    }

    /** The dead-letter channel's name. */
    public String channelName() {
        return channel.name();
    }

    /** The label written into {@link #COMPONENT}. */
    public String component() {
        return component;
    }

    /** {@code event} as a dead letter: its headers and body plus the three headers above. */
    public Event letter(Event event, String reason) {
        requireNonNull(event, "event is null");
        requireNonNull(reason, "reason is null");
        Map<String, String> headers = new LinkedHashMap<>(event.headers());
        headers.put(ERROR, reason);
        headers.put(COMPONENT, component);
        headers.put(FAILED_AT, Instant.now(clock).toString());
        return event.withHeaders(headers);
    }

    /** Rejected raw input (a line, a request body) as a dead letter with {@code headers} kept. */
    public Event letter(byte[] input, Map<String, String> headers, String reason) {
        requireNonNull(input, "input is null");
        return letter(Event.of(headers, input), reason);
    }

    /** Makes a letter of {@code event} and commits it to the channel; see {@link #putAll}. */
    public void put(Event event, String reason) {
        putLetters(List.of(letter(event, reason)));
    }

    /** Makes a letter of each rejection and commits them all to the channel in one transaction. */
    public void putAll(List<EventRejectedException> rejections) {
        List<Event> letters = new ArrayList<>(rejections.size());
        for (EventRejectedException r : rejections) {
            letters.add(letter(r.event(), r.reason()));
        }
        putLetters(letters);
    }

    /**
     * Commits letters made by {@link #letter} to the channel in one transaction. Throws
     * {@link ChannelException} when they could not be committed (the channel is full, its disk
     * failed): then none of them is in the channel.
     */
    public void putLetters(List<Event> letters) {
        if (letters.isEmpty()) {
            return;
        }
        try (Transaction tx = channel.getTransaction()) {
            tx.begin();
            try {
                tx.putAll(letters);
                tx.commit();
            } catch (RuntimeException e) { // close() rolls the open transaction back
                throw e instanceof ChannelException ce ? ce : new ChannelException("could not put "
                        + letters.size() + " dead letter(s) of " + component + " into channel " + channel.name()
                        + ": " + e, e);
            }
        }
    }

    /**
     * Whether the dead-letter channel keeps source markers (a file channel), so that
     * {@link #putLetters(List, String, byte[])} commits a marker with the letters.
     */
    public boolean keepsMarkers() {
        return channel instanceof SourceMarkerChannel;
    }

    /** The marker {@code owner} last committed with its letters; empty when none, or the channel keeps none. */
    public Optional<byte[]> committedMarker(String owner) {
        return channel instanceof SourceMarkerChannel m ? m.committedMarker(owner) : Optional.empty();
    }

    /**
     * Commits letters as {@link #putLetters(List)} does, with {@code owner}'s {@code marker} in the
     * same commit when the channel keeps markers (see {@link MarkedTransaction}): a source that
     * notes in the marker how far its letters reach knows after a crash which letters are in the
     * channel already, and does not put them twice. A channel without markers ignores the marker.
     */
    public void putLetters(List<Event> letters, String owner, byte[] marker) {
        requireNonNull(owner, "owner is null");
        requireNonNull(marker, "marker is null");
        if (!keepsMarkers()) {
            putLetters(letters);
            return;
        }
        try (Transaction tx = channel.getTransaction()) {
            tx.begin();
            try {
                tx.putAll(letters);
                ((MarkedTransaction) tx).mark(owner, marker);
                tx.commit();
            } catch (RuntimeException e) { // close() rolls the open transaction back
                throw e instanceof ChannelException ce ? ce : new ChannelException("could not put "
                        + letters.size() + " dead letter(s) of " + component + " into channel " + channel.name()
                        + ": " + e, e);
            }
        }
    }

    @Override
    public String toString() {
        return "DeadLetters[" + component + " -> " + channel.name() + "]";
    }
}
