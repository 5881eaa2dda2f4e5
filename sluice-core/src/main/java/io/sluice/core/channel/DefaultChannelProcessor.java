package io.sluice.core.channel;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.ChannelSelector;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.MarkedTransaction;
import io.sluice.api.SourceMarkerChannel;
import io.sluice.api.Transaction;
import io.sluice.api.TransactionCapacityAware;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.selector.ReplicatingChannelSelector;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.core.tap.TapKind;
import io.sluice.core.tap.TapPoint;
import io.sluice.core.tap.TapRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Puts a source's events into its channels: interceptors first (in their configured order), then
 * one transaction per channel. A batch is committed to every required channel or the call throws
 * (a full channel as {@link io.sluice.api.ChannelFullException}, so the source can refuse its
 * sender); a failure on an optional channel is logged (rate-limited) and counted in
 * {@code OptionalChannelWriteFail}. Taps see a channel's batch once its put committed, and the
 * source's batch (after its interceptors) once it committed to every required channel. Note that a batch already committed to one required channel
 * stays there when a later one fails: the sender's retry then delivers it twice (at-least-once).
 * Thread-safe.
 */
public final class DefaultChannelProcessor implements ChannelProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultChannelProcessor.class);
    public static final String OPTIONAL_WRITE_FAIL = "OptionalChannelWriteFail";

    private final String label;
    private final ChannelSelector selector;
    private final List<Interceptor> interceptors;
    private final LongAdder optionalWriteFails;
    private final RateLimitedLog optionalFailureLog = new RateLimitedLog(Duration.ofSeconds(10));
    private final TapPoint sourceTap;
    private final TapRegistry taps;
    /** The tap point of each channel, found once: publishing costs the point's one volatile read. */
    private final Map<Channel, TapPoint> channelTaps = new ConcurrentHashMap<>();
    /** The one channel every event goes to when it keeps source markers, else null. */
    private final SourceMarkerChannel markerChannel;

    /**
     * @param label the source's full name for messages, e.g. {@code a1.sources.r1}
     * @param counters where optional-channel failures are counted
     */
    public DefaultChannelProcessor(String label, ChannelSelector selector, List<Interceptor> interceptors,
            CounterGroup counters) {
        this(label, selector, interceptors, counters, new TapRegistry(), label);
    }

    /**
     * @param taps the agent's tap points, where the source's and its channels' events are published
     * @param sourceName the source's name in {@code taps}, e.g. {@code r1}
     */
    public DefaultChannelProcessor(String label, ChannelSelector selector, List<Interceptor> interceptors,
            CounterGroup counters, TapRegistry taps, String sourceName) {
        this.taps = requireNonNull(taps, "taps is null");
        this.sourceTap = taps.point(TapKind.SOURCE, requireNonNull(sourceName, "sourceName is null"));
        for (Channel c : selector.getAllChannels()) {
            channelTaps.put(c, taps.point(TapKind.CHANNEL, c.name()));
        }
        this.label = requireNonNull(label, "label is null");
        this.selector = requireNonNull(selector, "selector is null");
        this.interceptors = List.copyOf(interceptors);
        this.optionalWriteFails = requireNonNull(counters, "counters is null").counter(OPTIONAL_WRITE_FAIL);
        this.markerChannel = findMarkerChannel(selector);
    }

    public void initialize() {
        for (Interceptor i : interceptors) {
            i.initialize();
        }
    }

    public void close() {
        for (Interceptor i : interceptors) {
            try {
                i.close();
            } catch (RuntimeException e) {
                LOG.warn("[{}] closing interceptor {} failed", label, i, e);
            }
        }
    }

    /**
     * The most events one {@link #processEventBatch} may carry: the smallest transactionCapacity of
     * the channels this processor can write to, or {@code Integer.MAX_VALUE} when none declares one.
     */
    public int largestBatch() {
        int max = Integer.MAX_VALUE;
        for (Channel c : selector.getAllChannels()) {
            if (c instanceof TransactionCapacityAware t) {
                max = Math.min(max, t.transactionCapacity());
            }
        }
        return Math.max(1, max);
    }

    /**
     * Present when the selector is replicating and names exactly one channel, required, that keeps
     * source markers: then every event of the source goes to that channel and nowhere else, so the
     * channel's marker tells exactly what the source delivered.
     */
    @Override
    public Optional<SourceMarkerChannel> markerChannel() {
        return Optional.ofNullable(markerChannel);
    }

    private static SourceMarkerChannel findMarkerChannel(ChannelSelector selector) {
        if (!(selector instanceof ReplicatingChannelSelector) || selector.getAllChannels().size() != 1) {
            return null;
        }
        Event probe = Event.wrap(Map.of(), new byte[0]);
        List<Channel> required = selector.getRequiredChannels(probe);
        if (required.size() != 1 || !selector.getOptionalChannels(probe).isEmpty()
                || !(required.get(0) instanceof SourceMarkerChannel m)) {
            return null;
        }
        return m;
    }

    @Override
    public void processEventBatch(List<Event> events, String owner, byte[] marker) {
        requireNonNull(events, "events is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(marker, "marker is null");
        if (markerChannel == null) {
            throw new UnsupportedOperationException("[" + label + "] its events do not all go to one channel that keeps"
                    + " source markers; check markerChannel() first");
        }
        List<Event> batch = events;
        for (Interceptor i : interceptors) {
            batch = i.intercept(batch);
            if (batch == null) {
                batch = List.of();
            }
            if (batch.isEmpty()) {
                break;
            }
        }
        try (Transaction tx = markerChannel.getTransaction()) {
            tx.begin();
            if (!batch.isEmpty()) {
                tx.putAll(batch);
            }
            ((MarkedTransaction) tx).mark(owner, marker);
            tx.commit();
        } catch (ChannelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ChannelException("[" + label + "] could not put " + batch.size() + " event(s) into channel "
                    + markerChannel.name() + ": " + e, e);
        }
        if (!batch.isEmpty()) {
            channelTap(markerChannel).publish(batch);
            sourceTap.publish(batch);
        }
    }

    @Override
    public void processEvent(Event event) {
        requireNonNull(event, "event is null");
        processEventBatch(List.of(event));
    }

    @Override
    public void processEventBatch(List<Event> events) {
        requireNonNull(events, "events is null");
        List<Event> batch = events;
        for (Interceptor i : interceptors) {
            batch = i.intercept(batch);
            if (batch == null || batch.isEmpty()) {
                return;
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        if (selector instanceof ReplicatingChannelSelector) {
            // every event goes to the same channels: put the batch as it is, without grouping
            Event any = batch.get(0);
            for (Channel c : selector.getRequiredChannels(any)) {
                putRequired(c, batch);
            }
            for (Channel c : selector.getOptionalChannels(any)) {
                putOptional(c, batch);
            }
            sourceTap.publish(batch);
            return;
        }
        Map<Channel, List<Event>> required = new LinkedHashMap<>();
        Map<Channel, List<Event>> optional = new LinkedHashMap<>();
        for (Event e : batch) {
            for (Channel c : selector.getRequiredChannels(e)) {
                required.computeIfAbsent(c, k -> new ArrayList<>()).add(e);
            }
            for (Channel c : selector.getOptionalChannels(e)) {
                optional.computeIfAbsent(c, k -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<Channel, List<Event>> e : required.entrySet()) {
            putRequired(e.getKey(), e.getValue());
        }
        for (Map.Entry<Channel, List<Event>> e : optional.entrySet()) {
            putOptional(e.getKey(), e.getValue());
        }
        sourceTap.publish(batch);
    }

    private void putRequired(Channel channel, List<Event> events) {
        try {
            put(channel, events);
        } catch (ChannelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ChannelException("[" + label + "] could not put " + events.size() + " event(s) into channel "
                    + channel.name() + ": " + e, e);
        }
    }

    private void putOptional(Channel channel, List<Event> events) {
        try {
            put(channel, events);
        } catch (RuntimeException e) {
            optionalWriteFails.add(events.size());
            if (optionalFailureLog.allow()) {
                long held = optionalFailureLog.takeSuppressed();
                LOG.warn("[{}] dropped {} event(s) for optional channel {}: {}{}", label, events.size(), channel.name(),
                        e.getMessage(), held > 0 ? " (" + held + " similar failures not logged)" : "");
            }
        }
    }

    private void put(Channel channel, List<Event> events) {
        try (Transaction tx = channel.getTransaction()) {
            tx.begin();
            tx.putAll(events);
            tx.commit();
        }
        channelTap(channel).publish(events);
    }

    private TapPoint channelTap(Channel channel) {
        TapPoint tap = channelTaps.get(channel);
        if (tap == null) {
            tap = channelTaps.computeIfAbsent(channel, c -> taps.point(TapKind.CHANNEL, c.name()));
        }
        return tap;
    }
}
