package io.sluice.core.agent;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Sink;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.registry.ComponentRegistry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers every event a {@code numbered} source commits and records every event a {@code counting}
 * sink commits, across all instances and restarts, so a test can tell exactly how many were lost
 * (committed by a source, never committed by a sink) and how many arrived twice. Thread-safe (the
 * bit sets are guarded by this object).
 */
final class NumberLedger {
    static final String NUMBER_HEADER = "n";

    private final AtomicLong next = new AtomicLong();
    private final BitSet committed = new BitSet();
    private final BitSet received = new BitSet();
    private long duplicates;
    private long receivedCount;

    /** The standard registry plus {@code numbered} and {@code counting}, both writing to this ledger. */
    ComponentRegistry registry() {
        ClassLoader loader = NumberLedger.class.getClassLoader();
        List<ComponentFactory<?>> factories = new ArrayList<>(ComponentRegistry.discover(loader));
        factories.add(new NumberedSourceFactory(this));
        factories.add(new CountingSinkFactory(this));
        return new ComponentRegistry(factories, loader);
    }

    long take(int n) {
        return next.getAndAdd(n);
    }

    synchronized void committed(long first, int n) {
        committed.set(Math.toIntExact(first), Math.toIntExact(first + n));
    }

    synchronized void received(List<Event> events) {
        for (Event e : events) {
            int n = Integer.parseInt(e.headers().get(NUMBER_HEADER));
            if (received.get(n)) {
                duplicates++;
            } else {
                received.set(n);
            }
            receivedCount++;
        }
    }

    synchronized long committedCount() {
        return committed.cardinality();
    }

    synchronized long receivedCount() {
        return receivedCount;
    }

    /** Committed by a source and never received by a sink. */
    synchronized long lost() {
        BitSet missing = (BitSet) committed.clone();
        missing.andNot(received);
        return missing.cardinality();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** Received without a source having committed it. */
    synchronized long phantoms() {
        BitSet extra = (BitSet) received.clone();
        extra.andNot(committed);
        return extra.cardinality();
    }

    /** {@code numbered}: batches of {@code batchSize} events, at most {@code rate} events per second. */
    static final class NumberedSourceFactory implements ComponentFactory<Source> {
        static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100, "events per batch").atLeast(1);
        static final ConfigKey<Long> RATE = ConfigKey.longKey("rate", 1000L, "events per second").atLeast(1);
        private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE,
                "numbered").keys(BATCH_SIZE, RATE).description("Numbered events for reload tests.").build();
        private final NumberLedger ledger;

        NumberedSourceFactory(NumberLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public Source create(ComponentContext context) {
            return new NumberedSource(context.name(), context.get(BATCH_SIZE), context.get(RATE), ledger,
                    context.counters().register(new SourceCounter(context.name())));
        }
    }

    /** {@code counting}: records each committed batch in the ledger, at most {@code rate} events/s. */
    static final class CountingSinkFactory implements ComponentFactory<Sink> {
        static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100, "events per batch").atLeast(1);
        static final ConfigKey<Long> RATE = ConfigKey.longKey("rate", 0L, "events per second, 0: no limit").atLeast(0);
        private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK,
                "counting").keys(BATCH_SIZE, RATE).description("Counts numbered events for reload tests.").build();
        private final NumberLedger ledger;

        CountingSinkFactory(NumberLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public Sink create(ComponentContext context) {
            return new CountingSink(context.name(), context.label(), context.get(BATCH_SIZE), context.get(RATE), ledger,
                    context.counters().register(new SinkCounter(context.name())));
        }
    }
}
