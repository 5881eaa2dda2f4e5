package io.sluice.testing;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.PollableSource;
import io.sluice.api.Source;
import io.sluice.api.Status;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.AbstractSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * A pollable source that emits a fixed script: each {@link #process()} puts the next batch through
 * the channel processor; a refused batch (channel full, ...) is counted and retried on the next
 * call; after the last batch it answers BACKOFF. Configured as type {@code scripted} with key
 * {@code script}: bodies separated by {@code ,}, batches by {@code ;} (e.g. {@code a,b;c}).
 * {@link #process()} is called by one runner thread; the getters are thread-safe.
 */
public final class ScriptedSource extends AbstractSource implements PollableSource, BatchSizeAware {
    private final List<List<Event>> batches;
    private final SourceCounter counter;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong refusals = new AtomicLong();
    private volatile ChannelException lastRefusal;

    public ScriptedSource(String name, List<List<Event>> batches) {
        this(name, batches, new SourceCounter(name));
    }

    public ScriptedSource(String name, List<List<Event>> batches, SourceCounter counter) {
        super(name);
        List<List<Event>> copy = new ArrayList<>();
        for (List<Event> b : requireNonNull(batches, "batches is null")) {
            copy.add(List.copyOf(b));
        }
        this.batches = List.copyOf(copy);
        this.counter = requireNonNull(counter, "counter is null");
    }

    /** One batch per list of bodies. */
    public static ScriptedSource ofBodies(String name, List<List<String>> bodies) {
        List<List<Event>> b = new ArrayList<>();
        for (List<String> batch : bodies) {
            List<Event> events = new ArrayList<>();
            for (String s : batch) {
                events.add(Event.ofString(s));
            }
            b.add(events);
        }
        return new ScriptedSource(name, b);
    }

    @Override
    public int batchSize() {
        int max = 1;
        for (List<Event> b : batches) {
            max = Math.max(max, b.size());
        }
        return max;
    }

    @Override
    public Status process() {
        int i = next.get();
        if (i >= batches.size()) {
            return Status.BACKOFF;
        }
        List<Event> batch = batches.get(i);
        counter.incrementAppendBatchReceived();
        counter.addReceived(batch.size());
        try {
            getChannelProcessor().processEventBatch(batch);
        } catch (ChannelException e) {
            refusals.incrementAndGet();
            lastRefusal = e;
            counter.incrementChannelWriteFail();
            return Status.BACKOFF;
        }
        counter.incrementAppendBatchAccepted();
        counter.addAccepted(batch.size());
        next.incrementAndGet();
        return Status.READY;
    }

    /** Whether every batch was accepted. */
    public boolean done() {
        return next.get() >= batches.size();
    }

    public int batchesSent() {
        return next.get();
    }

    public long refusals() {
        return refusals.get();
    }

    public ChannelException lastRefusal() {
        return lastRefusal;
    }

    @Override
    public long backOffSleepIncrementMillis() {
        return 10;
    }

    @Override
    public long maxBackOffSleepMillis() {
        return 100;
    }

    /** Builds scripted sources from configuration: {@code type = scripted}, {@code script = a,b;c}. */
    public static final class Factory implements ComponentFactory<Source> {
        public static final ConfigKey<String> SCRIPT = ConfigKey.stringKey("script", "",
                "bodies separated by ',', batches by ';'");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.SOURCE, "scripted")
                .keys(SCRIPT)
                .description("Test source that sends the events of a script.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public Source create(ComponentContext context) {
            List<List<Event>> batches = new ArrayList<>();
            String script = context.get(SCRIPT);
            if (!script.isBlank()) {
                for (String batch : script.split(";", -1)) {
                    List<Event> events = new ArrayList<>();
                    for (String body : batch.split(",", -1)) {
                        if (!body.isEmpty()) {
                            events.add(Event.ofString(body.trim()));
                        }
                    }
                    batches.add(events);
                }
            }
            return new ScriptedSource(context.name(), batches,
                    context.counters().register(new SourceCounter(context.name())));
        }
    }
}
