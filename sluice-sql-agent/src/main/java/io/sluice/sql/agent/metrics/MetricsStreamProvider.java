package io.sluice.sql.agent.metrics;

import io.sluice.api.Event;
import io.sluice.sql.EventSourceProvider;
import java.time.Duration;
import java.util.Map;

/**
 * Feeds {@code CREATE STREAM m FROM METRICS 'selector' PROPERTIES ('url' = ..., 'token-file' = ...)}
 * streams from a {@code metrics} sink's query API ({@code GET /api/v1/stream}). Found through
 * {@link java.util.ServiceLoader}, so the shell and the rtsql server both run metrics streams. Each
 * event is one sample's JSON line, which the stream reads with the {@code json} format. Thread-safe.
 */
public final class MetricsStreamProvider implements EventSourceProvider {
    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Duration minBackoff;
    private final Duration maxBackoff;

    public MetricsStreamProvider() {
        this(MIN_BACKOFF, MAX_BACKOFF);
    }

    MetricsStreamProvider(Duration minBackoff, Duration maxBackoff) {
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public boolean supports(String kind, String target) {
        return "METRICS".equals(kind);
    }

    @Override
    public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink sink)
            throws Exception {
        MetricsFeedSettings settings = MetricsFeedSettings.of(target, properties);
        MetricsFeed feed = new MetricsFeed(target, settings, minBackoff, maxBackoff,
                line -> sink.accept(Event.wrap(Map.of(), line)), sink::fail);
        feed.start();
        return feed;
    }
}
