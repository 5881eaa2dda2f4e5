package io.sluice.sql.source;

import io.sluice.api.Event;
import io.sluice.sql.EventSourceProvider;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SOURCE 'seq'}: events whose bodies are 0, 1, 2, ... like Flume's sequence generator.
 * Property {@code totalEvents} (default: unbounded) makes it finite. Runs on its own daemon thread.
 */
public final class SeqSourceProvider implements EventSourceProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SeqSourceProvider.class);

    @Override
    public boolean supports(String kind, String target) {
        return kind.equals("SOURCE") && target.equals("seq");
    }

    @Override
    public boolean isFinite(String kind, String target, Map<String, String> properties) {
        return properties.containsKey("totalEvents");
    }

    @Override
    public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink sink) {
        for (String k : properties.keySet()) {
            if (!Set.of("totalEvents").contains(k)) {
                throw new IllegalArgumentException("source 'seq' has no property '" + k + "' (known: totalEvents)");
            }
        }
        long total;
        try {
            total = Long.parseLong(properties.getOrDefault("totalEvents", Long.toString(Long.MAX_VALUE)).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("source 'seq': totalEvents = " + properties.get("totalEvents")
                    + ": not a whole number");
        }
        if (total < 0) {
            throw new IllegalArgumentException("source 'seq': totalEvents = " + total + " (expected: >= 0)");
        }
        Thread t = new Thread(() -> {
            for (long i = 0; i < total && !Thread.currentThread().isInterrupted(); i++) {
                sink.accept(Event.wrap(Map.of(), Long.toString(i).getBytes(StandardCharsets.UTF_8)));
            }
            if (!Thread.currentThread().isInterrupted()) {
                sink.end();
            }
            LOG.debug("[rtsql source seq] done");
        }, "rtsql-source-seq");
        t.setDaemon(true);
        t.start();
        return t::interrupt;
    }
}
