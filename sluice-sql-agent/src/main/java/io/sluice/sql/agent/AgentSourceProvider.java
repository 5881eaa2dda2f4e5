package io.sluice.sql.agent;

import io.sluice.api.Source;
import io.sluice.core.registry.ComponentRegistry;
import io.sluice.sql.EventSourceProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Provides {@code FROM SOURCE 'type' PROPERTIES (...)} streams with the agent's real sources: every
 * source type of the {@link ComponentRegistry} (netcat, netcatudp, http, exec, seq, stress, avro,
 * plugins, class names). The PROPERTIES are the source's keys, exactly as in an agent's
 * configuration ({@code a1.sources.r1.<key>}); config problems are reported together, each naming
 * the key, the rule and the fix. {@code seq} with {@code totalEvents} and {@code stress} with
 * {@code maxTotalEvents}/{@code maxSuccessfulEvents} are finite: their flows end after the last
 * event. NODE streams are not provided here. Thread-safe.
 *
 * <p>Give it to the engine with {@code EngineOptions.builder().eventSource(new AgentSourceProvider())};
 * as it is asked first, it supersedes the engine's built-in {@code seq} and {@code netcat}.
 */
public final class AgentSourceProvider implements EventSourceProvider {
    /** How long a source's batch waits for a busy engine before it is refused (back-pressure). */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private final ComponentRegistry registry;
    private final Path dataDirectory;
    private final Duration wait;
    private final AtomicLong opened = new AtomicLong();

    /** Sources from {@link ComponentRegistry#standard()}, data under {@code java.io.tmpdir}/sluice-rtsql. */
    public AgentSourceProvider() {
        this(ComponentRegistry.standard(), Path.of(System.getProperty("java.io.tmpdir"), "sluice-rtsql"), DEFAULT_WAIT);
    }

    /**
     * @param dataDirectory where sources that keep state (positions, checkpoints) keep it
     * @param wait          how long a batch waits for a busy engine before the source is told the
     *                      "channel" is full
     */
    public AgentSourceProvider(ComponentRegistry registry, Path dataDirectory, Duration wait) {
        this.registry = requireNonNull(registry, "registry is null");
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.wait = requireNonNull(wait, "wait is null");
    }

    /** Every SOURCE stream: an unknown type is reported by {@link #open} with the known types. */
    @Override
    public boolean supports(String kind, String target) {
        return "SOURCE".equals(kind);
    }

    @Override
    public boolean isFinite(String kind, String target, Map<String, String> properties) {
        return limit(target, properties) >= 0;
    }

    @Override
    public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink sink) {
        String stream = sourceName(target);
        Source source = new SourceBuild(registry, dataDirectory).build(stream, target, properties);
        String label = SourceBuild.AGENT + ".sources." + stream;
        StreamChannelProcessor processor = new StreamChannelProcessor("source '" + target + "'", sink,
                limit(target, properties), wait);
        return RunningSource.start(label, source, processor);
    }

    /**
     * The number of events after which a {@code seq} or {@code stress} source is done, or -1 for
     * an endless source (or a value that does not parse: building the source reports it).
     */
    static long limit(String type, Map<String, String> p) {
        switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "seq":
                long total = number(p.get("totalEvents"), -1);
                return total == Long.MAX_VALUE ? -1 : total;
            case "stress":
                long a = number(p.get("maxTotalEvents"), -1);
                long b = number(p.get("maxSuccessfulEvents"), -1);
                if (a < 0) {
                    return b;
                }
                return b < 0 ? a : Math.min(a, b);
            default:
                return -1;
        }
    }

    private static long number(String raw, long otherwise) {
        if (raw == null) {
            return otherwise;
        }
        try {
            long v = Long.parseLong(raw.trim());
            return v < 0 ? otherwise : v;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * The source's name in logs and counters. The hook does not pass the stream's name (the engine
     * adds it to every error message), so the source is named after its type and a number.
     */
    private String sourceName(String target) {
        return target.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + opened.incrementAndGet();
    }
}
