package io.sluice.sql;

import io.sluice.api.Event;
import io.sluice.sql.format.EventFormats;
import io.sluice.sql.plan.StreamDef;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventSourceProvider}s of an engine and the NODE and SOURCE streams they have opened.
 * Thread-safe: the open sources are guarded by this object's lock; the shared inputs map passed in
 * is guarded by the engine's lock, which callers hold.
 */
final class EventSources {
    private static final Logger LOG = LoggerFactory.getLogger(EventSources.class);

    private final List<EventSourceProvider> providers = new ArrayList<>();
    private final Clock clock;
    private final Map<String, AutoCloseable> open = new HashMap<>();
    /** Running flows per shared endless stream; guarded by the engine lock passed to {@link #input}. */
    private final Map<String, Integer> readers = new HashMap<>();

    EventSources(List<EventSourceProvider> given, Clock clock) {
        this.clock = clock;
        providers.addAll(given);
        try {
            for (EventSourceProvider p : ServiceLoader.load(EventSourceProvider.class, RtsqlEngine.class.getClassLoader())) {
                providers.add(p);
            }
        } catch (ServiceConfigurationError e) {
            LOG.error("[rtsql] an event source provider could not be loaded: {}", e.getMessage());
        }
    }

    /** The provider of a NODE, SOURCE or KAFKA stream, or null if none supports it. */
    EventSourceProvider provider(StreamDef d) {
        for (EventSourceProvider p : providers) {
            if (p.supports(d.kind().name(), d.target())) {
                return p;
            }
        }
        return null;
    }

    boolean isFinite(StreamDef d) {
        if (d.kind() == StreamDef.Kind.NODE || d.kind() == StreamDef.Kind.SOURCE || d.kind() == StreamDef.Kind.METRICS
                || d.kind() == StreamDef.Kind.KAFKA) {
            EventSourceProvider p = provider(d);
            return p != null && p.isFinite(d.kind().name(), d.target(), d.sourceProperties());
        }
        return d.finite();
    }

    /**
     * The input that a NODE or SOURCE stream's events go through. A finite source is opened for each
     * flow (each reads it from its start, like a file); an endless one once, shared by every flow
     * through {@code shared}, and closed when the last flow reading it stops (the next flow opens
     * it again). Opening happens after the flow has subscribed (the caller runs
     * {@code openers} then), so no event is missed. The caller holds {@code engineLock}.
     */
    StreamInput input(StreamDef d, Flow flow, List<Runnable> openers, Map<String, StreamInput> shared,
            Object engineLock) {
        EventSourceProvider p = provider(d);
        boolean finite = p.isFinite(d.kind().name(), d.target(), d.sourceProperties());
        if (!finite) {
            // an endless source runs only while some flow reads it: the last flow to stop closes it
            readers.merge(d.name(), 1, Integer::sum);
            flow.onStop(() -> release(d.name(), shared, engineLock));
        }
        StreamInput existing = finite ? null : shared.get(d.name());
        if (existing != null) {
            return existing;
        }
        // a tee may be slowed (its tap drops and counts at the agent when full, never slowing the
        // agent), so every flow reading it sees the same events; but only for a while, so one wedged
        // flow cannot stall the others: then that flow drops and counts. An agent source is
        // back-pressured (its batch waits, then is refused like a full channel).
        FlowMailbox.Overflow overflow = d.kind() == StreamDef.Kind.NODE ? FlowMailbox.Overflow.WAIT_THEN_DROP
                : FlowMailbox.Overflow.BLOCK;
        StreamInput in = new StreamInput(d.name(), d.columns(), EventFormats.parser(d.format(), d.formatProperties(),
                d.columns()), d.timestampColumn(), clock, overflow);
        EventSourceProvider.EventSink sink = new EventSourceProvider.EventSink() {
            @Override
            public void accept(Event event) {
                if (!in.isEnded()) {
                    in.pushEvent(event);
                }
            }

            @Override
            public void acceptBatch(List<Event> events) {
                if (!in.isEnded()) {
                    in.pushEvents(events);
                }
            }

            @Override
            public long accept(Event event, int partition) {
                return in.isEnded() ? Long.MIN_VALUE : in.pushEvent(event, partition);
            }

            @Override
            public EventSourceProvider.Progress progress(int partition) {
                return in.progress(partition);
            }

            @Override
            public void resume(int partition, long watermark) {
                in.resume(partition, watermark);
            }

            @Override
            public void revoke(int partition) {
                in.revoke(partition);
            }

            @Override
            public void end() {
                in.end();
            }

            @Override
            public void fail(Exception cause) {
                in.fail(new IllegalStateException("stream '" + d.name() + "': " + d.kind() + " '" + d.target()
                        + "' failed: " + cause.getMessage(), cause));
            }
        };
        String key = finite ? d.name() + "#flow" + flow.id() : d.name();
        if (!finite) {
            shared.put(d.name(), in);
        }
        openers.add(() -> {
            try {
                AutoCloseable h = p.open(d.kind().name(), d.target(), d.sourceProperties(), sink);
                synchronized (this) {
                    open.put(key, h);
                }
                if (finite) {
                    flow.onStop(() -> close(key));
                }
            } catch (Exception e) {
                synchronized (engineLock) {
                    shared.remove(d.name(), in);
                }
                throw new IllegalStateException("stream '" + d.name() + "': " + d.kind() + " '" + d.target()
                        + "' could not start: " + e.getMessage(), e);
            }
        });
        return in;
    }

    /** A flow reading the endless stream {@code name} stopped; the last one closes its source. */
    private void release(String name, Map<String, StreamInput> shared, Object engineLock) {
        synchronized (engineLock) {
            Integer n = readers.get(name);
            if (n == null) {
                return;
            }
            if (n > 1) {
                readers.put(name, n - 1);
                return;
            }
            readers.remove(name);
            shared.remove(name);
        }
        close(name);
    }

    /**
     * Why the endless stream {@code name}'s open source gets no events now ({@link WaitingSource}), or
     * null when it is reading, says nothing, or is not open.
     */
    String waitingReason(String name) {
        AutoCloseable h;
        synchronized (this) {
            h = open.get(name);
        }
        return h instanceof WaitingSource w ? w.waitingReason() : null;
    }

    /** Closes the source opened under {@code key} (a stream name), if any. */
    void close(String key) {
        AutoCloseable h;
        synchronized (this) {
            h = open.remove(key);
        }
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                LOG.warn("[rtsql] closing the source of {} failed", key, e);
            }
        }
    }

    void closeAll() {
        List<String> keys;
        synchronized (this) {
            keys = new ArrayList<>(open.keySet());
        }
        for (String k : keys) {
            close(k);
        }
    }
}
