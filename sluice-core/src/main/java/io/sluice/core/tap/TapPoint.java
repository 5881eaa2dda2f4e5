package io.sluice.core.tap;

import io.sluice.api.Event;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Where one component publishes the events it committed, and the taps open on it. Publishing with
 * no tap open costs one volatile read; with taps open, each event is offered to each tap, which
 * drops it (and counts) when full: {@link #publish} never blocks. Thread-safe: the set of taps is
 * an array replaced under the point's lock when a tap opens or closes (copy on write).
 */
public final class TapPoint {
    private static final Tap[] NONE = new Tap[0];

    private final TapKind kind;
    private final String component;
    private volatile Tap[] taps = NONE;

    TapPoint(TapKind kind, String component) {
        this.kind = requireNonNull(kind, "kind is null");
        this.component = requireNonNull(component, "component is null");
    }

    /** A point no registry knows: publishing to it does nothing but read its empty tap array. */
    public static TapPoint detached(TapKind kind, String component) {
        return new TapPoint(kind, component);
    }

    public TapKind kind() {
        return kind;
    }

    public String component() {
        return component;
    }

    /** Whether a tap is open now (one volatile read). */
    public boolean active() {
        return taps.length > 0;
    }

    /** Offers each event to every open tap; never blocks. {@code events} may be reused after the call. */
    public void publish(List<Event> events) {
        Tap[] open = taps;
        if (open.length == 0) {
            return;
        }
        for (Tap t : open) {
            t.offerAll(events);
        }
    }

    /**
     * Opens a tap of at most {@code capacity} queued events on this point; close it to stop
     * receiving.
     */
    public Tap open(int capacity) {
        Tap t = new Tap(this, capacity);
        synchronized (this) {
            Tap[] next = Arrays.copyOf(taps, taps.length + 1);
            next[next.length - 1] = t;
            taps = next;
        }
        return t;
    }

    synchronized void remove(Tap t) {
        Tap[] now = taps;
        int i = Arrays.asList(now).indexOf(t);
        if (i < 0) {
            return;
        }
        Tap[] next = new Tap[now.length - 1];
        System.arraycopy(now, 0, next, 0, i);
        System.arraycopy(now, i + 1, next, i, now.length - i - 1);
        taps = next.length == 0 ? NONE : next;
    }

    /** How many taps are open now. */
    public int openTaps() {
        return taps.length;
    }

    @Override
    public String toString() {
        return kind.word() + " " + component;
    }
}
