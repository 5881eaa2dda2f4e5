package io.sluice.metrics.source;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code prometheus} source (scrape). Keys, named after Prometheus' scrape configuration:
 * {@code targets}, {@code file_sd}, {@code job} (the source's name), {@code scheme} (http),
 * {@code metrics_path} (/metrics), {@code labels.*}, {@code interval} (60 s), {@code timeout}
 * (10 s), {@code body_size_limit} (16 MiB), {@code honor_labels} (false), {@code honor_timestamps}
 * (true), {@code scrapeThreads} (8).
 */
public final class PrometheusSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<List<String>> TARGETS = ConfigKey.listKey("targets", List.of(),
            "Endpoints to scrape, space- or comma-separated: host:port (scraped at scheme://host:port/metrics_path)"
                    + " or full URLs. At least one of targets and file_sd is required.");
    public static final ConfigKey<String> FILE_SD = ConfigKey.stringKey("file_sd", null,
            "A file of targets in Prometheus' file_sd JSON format ([{\"targets\": [...], \"labels\": {...}}]),"
                    + " re-read at each interval when it changed; a file that cannot be read keeps the previous"
                    + " targets.");
    public static final ConfigKey<String> JOB = ConfigKey.stringKey("job", null,
            "The job label of every sample. Default: the source's name.");
    public static final ConfigKey<String> SCHEME = ConfigKey.choiceKey("scheme", "http",
            "http or https, for targets given as host:port.", "http", "https");
    public static final ConfigKey<String> METRICS_PATH = ConfigKey.stringKey("metrics_path", "/metrics",
            "Path scraped on targets given as host:port.");
    public static final ConfigKey<String> LABELS = ConfigKey.stringKey("labels.", null,
            "labels.<name> = <value>: a label added to every sample of every target (dc, rack, env, ...).");
    public static final ConfigKey<Long> INTERVAL = ConfigKey.longKey("interval", 60L,
            "Seconds between two scrapes of a target.").atLeast(1);
    public static final ConfigKey<Long> TIMEOUT = ConfigKey.longKey("timeout", 10L,
            "Seconds a scrape may take, connection included; a slower one fails (up = 0).").atLeast(1);
    public static final ConfigKey<Long> BODY_SIZE_LIMIT = ConfigKey.longKey("body_size_limit", 16L * 1024 * 1024,
            "Most bytes read from one scrape; a larger answer fails the scrape (up = 0).").atLeast(1);
    public static final ConfigKey<Boolean> HONOR_LABELS = ConfigKey.boolKey("honor_labels", false,
            "false: a scraped label that clashes with a target label (job, instance, labels.*, file_sd labels) is"
                    + " kept as exported_<name> and the target's wins; true: the scraped label wins.");
    public static final ConfigKey<Boolean> HONOR_TIMESTAMPS = ConfigKey.boolKey("honor_timestamps", true,
            "Keep the timestamps the target exposes; false: every sample takes the scrape's time.");
    public static final ConfigKey<Integer> SCRAPE_THREADS = ConfigKey.intKey("scrapeThreads", 8,
            "Threads running scrapes; a target is never scraped twice at once.").between(1, 256);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE,
            "prometheus")
            .keys(TARGETS, FILE_SD, JOB, SCHEME, METRICS_PATH, LABELS, INTERVAL, TIMEOUT, BODY_SIZE_LIMIT,
                    HONOR_LABELS, HONOR_TIMESTAMPS, SCRAPE_THREADS)
            .description("Scrapes Prometheus text or OpenMetrics endpoints every interval; one event per scrape.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        List<String> targets = new ArrayList<>();
        for (String t : context.get(TARGETS)) {
            for (String part : t.split(",")) {
                if (!part.isBlank()) {
                    targets.add(part.trim());
                }
            }
        }
        String fileSd = context.get(FILE_SD);
        String job = context.get(JOB);
        String scheme = context.get(SCHEME);
        String path = context.get(METRICS_PATH);
        Map<String, String> labels = new TreeMap<>(context.subProperties(LABELS.name()));
        long interval = context.get(INTERVAL);
        long timeout = context.get(TIMEOUT);
        long limit = context.get(BODY_SIZE_LIMIT);
        boolean honorLabels = context.get(HONOR_LABELS);
        boolean honorTimestamps = context.get(HONOR_TIMESTAMPS);
        int threads = context.get(SCRAPE_THREADS);
        boolean ok = true;
        if (targets.isEmpty() && (fileSd == null || fileSd.isBlank())) {
            context.problem(TARGETS.name(), null, "is required when file_sd is not set",
                    "list the endpoints to scrape, e.g. targets = localhost:9100, or set file_sd");
            ok = false;
        }
        for (String t : targets) {
            try {
                ScrapeTarget.of(t, scheme == null ? "http" : scheme, path, "x", Map.of());
            } catch (IllegalArgumentException e) {
                context.problem(TARGETS.name(), String.join(" ", targets), e.getMessage(),
                        "write each target as host:port or http://host:port/path");
                ok = false;
            }
        }
        for (String name : labels.keySet()) {
            if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                context.problem(LABELS.name() + name, labels.get(name), "is not a valid label name",
                        "use letters, digits and _ (not first a digit)");
                ok = false;
            }
        }
        if (path != null && !path.startsWith("/")) {
            context.problem(METRICS_PATH.name(), path, "must start with /", "e.g. /metrics");
            ok = false;
        }
        if (!ok || scheme == null) {
            return null;
        }
        PrometheusSource.Settings settings = new PrometheusSource.Settings(targets,
                fileSd == null || fileSd.isBlank() ? null : Path.of(fileSd.trim()),
                job == null || job.isBlank() ? context.name() : job.trim(), scheme, path, labels, interval * 1000L,
                timeout * 1000L, limit, honorLabels, honorTimestamps, threads);
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new PrometheusSource(context.name(), context.label(), settings, counter, context.clock());
    }
}
