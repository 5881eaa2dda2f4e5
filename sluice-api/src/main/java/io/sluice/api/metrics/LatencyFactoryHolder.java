package io.sluice.api.metrics;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Loads the {@link LatencyHistogram.Factory} once, on first use. Thread-safe (class initialisation). */
final class LatencyFactoryHolder {
    static final LatencyHistogram.Factory FACTORY = load();

    private LatencyFactoryHolder() {
    }

    private static LatencyHistogram.Factory load() {
        Iterator<LatencyHistogram.Factory> it = ServiceLoader
                .load(LatencyHistogram.Factory.class, LatencyHistogram.class.getClassLoader()).iterator();
        if (it.hasNext()) {
            return it.next();
        }
        LatencyHistogram none = new LatencyHistogram() {
            @Override
            public void record(long nanos) {
            }

            @Override
            public double p99Millis() {
                return 0;
            }
        };
        return (type, name, key) -> none;
    }
}
