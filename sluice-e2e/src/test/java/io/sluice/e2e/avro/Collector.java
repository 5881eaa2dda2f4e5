package io.sluice.e2e.avro;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.avro.AvroSource;
import io.sluice.avro.AvroSourceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/**
 * The end of a chain: a Sluice avro source inside the test JVM that keeps every event it is sent
 * (the store a real deployment would have), so tests can compare exactly what arrived.
 */
final class Collector implements AutoCloseable {
    private static final Duration SETTLE_INTERVAL = Duration.ofMillis(500);
    private static final int SETTLE_POLLS = 4;
    private final List<Event> events = new ArrayList<>();
    private final AvroSource source;

    private Collector(AvroSourceConfig config) {
        source = new AvroSource("collector", "test.sources.collector", config, new SourceCounter("collector"));
        source.setChannelProcessor(new ChannelProcessor() {
            @Override
            public void processEvent(Event event) {
                processEventBatch(List.of(event));
            }

            @Override
            public void processEventBatch(List<Event> batch) {
                synchronized (events) {
                    events.addAll(batch);
                }
            }
        });
        source.start();
    }

    static Collector plain() {
        return new Collector(AvroSourceConfig.plain("127.0.0.1", 0));
    }

    static Collector ssl(Path keystore, String password) {
        return new Collector(AvroSourceConfig.plain("127.0.0.1", 0).withSsl(keystore, password, "JKS"));
    }

    int port() {
        return source.port();
    }

    List<Event> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    int count() {
        synchronized (events) {
            return events.size();
        }
    }

    Set<String> distinctBodies() {
        Set<String> out = new HashSet<>();
        for (Event e : events()) {
            out.add(new String(e.body(), StandardCharsets.UTF_8));
        }
        return out;
    }

    void awaitCount(int n, Duration timeout) {
        await("collector holding " + n + " events").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> count() >= n);
    }

    /**
     * Waits until {@code upstreamEmpty} holds and the number of events received has not changed for
     * {@link #SETTLE_POLLS} polls in a row ({@link #SETTLE_INTERVAL} apart), so a batch still on its
     * way from the last sink is counted. Fails after {@code timeout}.
     */
    void awaitSettled(Duration timeout, BooleanSupplier upstreamEmpty) {
        int[] last = {-1};
        int[] unchanged = {0};
        await("upstream empty and the collector settled").atMost(timeout).pollInterval(SETTLE_INTERVAL)
                .until(() -> {
                    int now = count();
                    boolean empty = upstreamEmpty.getAsBoolean();
                    unchanged[0] = empty && now == last[0] ? unchanged[0] + 1 : 0;
                    last[0] = now;
                    return unchanged[0] >= SETTLE_POLLS;
                });
    }

    void awaitDistinct(int n, Duration timeout) {
        await("collector holding " + n + " distinct events").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> distinctBodies().size() >= n);
    }

    @Override
    public void close() {
        source.stop();
    }
}
