package io.sluice.metrics.source;

import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.metrics.sink.MetricsSink;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Scrapes Prometheus endpoints every {@code interval}: one event per scrape, its body every sample
 * of that scrape (see {@link Scraper}), headers {@code timestamp} (the scrape's time),
 * {@code metrics.format}, {@code job} and {@code instance}. One event per scrape rather than per
 * sample: at Artimon's 1.5 M samples a minute, one channel put, one transaction slot and one set
 * of headers per sample would cost more than the samples themselves, and a scrape is the unit that
 * is skipped when the channel is full.
 *
 * <p><b>No unbounded queue.</b> A target whose previous scrape is still running is not scraped
 * again ({@code ScrapeOverrunCount}); scrapes run on {@code scrapeThreads} threads; a scrape whose
 * event the channel refuses is dropped and counted ({@code ScrapeSkippedCount},
 * {@code SampleSkippedCount}), never held for a retry, so a slow sink costs the newest scrapes,
 * not the agent's memory.
 *
 * <p>Targets come from {@code targets} and, when set, the {@code file_sd} file, re-read at each
 * interval when its modification time changed; a file that cannot be read keeps the previous
 * targets and is reported. Thread-safe: one scheduler thread plans the scrapes, the scrape threads
 * run them and put their events through the channel processor.
 */
public final class PrometheusSource extends AbstractSource implements EventDrivenSource {
    static final String SCRAPES = "ScrapeCount";
    static final String SCRAPE_FAILURES = "ScrapeFailCount";
    static final String SCRAPES_SKIPPED = "ScrapeSkippedCount";
    static final String SAMPLES_SKIPPED = "SampleSkippedCount";
    static final String SCRAPE_OVERRUNS = "ScrapeOverrunCount";
    static final String TARGETS = "TargetCount";
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusSource.class);

    /** The settings, read once from the configuration. */
    record Settings(List<String> targets, Path fileSd, String job, String scheme, String path,
            Map<String, String> labels, long intervalMillis, long timeoutMillis, long bodyLimit, boolean honorLabels,
            boolean honorTimestamps, int threads) {
    }

    private final String label;
    private final Settings settings;
    private final SourceCounter counter;
    private final Clock clock;
    private final LongAdder scrapes;
    private final LongAdder failures;
    private final ScrapeDelivery delivery;
    private final LongAdder overruns;
    private final LongAdder targetGauge;
    private final RateLimitedLog failLog = new RateLimitedLog(Duration.ofSeconds(10));
    private final RateLimitedLog skipLog = new RateLimitedLog(Duration.ofSeconds(10));
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile List<ScrapeTarget> targets = List.of();
    private FileTime fileSdTime;
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private HttpClient client;
    private Scraper scraper;

    PrometheusSource(String name, String label, Settings settings, SourceCounter counter, Clock clock) {
        super(name);
        this.label = requireNonNull(label, "label is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scrapes = counter.counter(SCRAPES);
        this.failures = counter.counter(SCRAPE_FAILURES);
        this.delivery = new ScrapeDelivery(counter);
        this.overruns = counter.counter(SCRAPE_OVERRUNS);
        this.targetGauge = counter.counter(TARGETS);
    }

    public SourceCounter counter() {
        return counter;
    }

    /** The targets scraped now. */
    public List<ScrapeTarget> targets() {
        return targets;
    }

    @Override
    protected void doStart() {
        counter.markStarted(clock.millis());
        client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(settings.timeoutMillis()))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        scraper = new Scraper(client, Duration.ofMillis(settings.timeoutMillis()), settings.bodyLimit(),
                settings.honorLabels(), settings.honorTimestamps());
        refreshTargets();
        workers = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, label + "-scrape");
            t.setDaemon(true);
            return t;
        });
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, label + "-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::cycle, 0, settings.intervalMillis(), TimeUnit.MILLISECONDS);
        LOG.info("[{}] scraping {} target(s) every {} ms", label, targets.size(), settings.intervalMillis());
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(settings.timeoutMillis() + 5000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        counter.markStopped(clock.millis());
    }

    /** One interval: re-reads the target file when it changed, then starts every target's scrape. */
    private void cycle() {
        try {
            refreshTargets();
            long now = clock.millis();
            for (ScrapeTarget t : targets) {
                String id = t.uri().toString();
                if (!inFlight.add(id)) {
                    overruns.increment();
                    continue;
                }
                try {
                    workers.execute(() -> {
                        try {
                            scrapeOnce(t, now);
                        } finally {
                            inFlight.remove(id);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    inFlight.remove(id);
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("[{}] a scrape cycle failed; the next interval tries again", label, e);
        }
    }

    private void scrapeOnce(ScrapeTarget target, long now) {
        Scraper.Result r;
        try {
            r = scraper.scrape(target, now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        scrapes.increment();
        if (r.failure() != null) {
            failures.increment();
            if (failLog.allow()) {
                long held = failLog.takeSuppressed();
                LOG.warn("[{}] scrape of {} failed: {}; an up=0 sample was emitted{}", label, target.uri(),
                        r.failure(), held > 0 ? " (" + held + " similar messages not logged)" : "");
            }
        }
        Map<String, String> headers = new HashMap<>(8);
        headers.put("timestamp", Long.toString(now));
        headers.put(MetricsSink.FORMAT_HEADER, "prometheus");
        headers.put("job", target.labels().getOrDefault("job", ""));
        headers.put("instance", target.labels().getOrDefault("instance", ""));
        Event event = Event.wrap(headers, r.body().getBytes(StandardCharsets.UTF_8));
        ChannelException refused = delivery.put(getChannelProcessor(), event, r.samples() + 3L);
        if (refused != null && skipLog.allow()) {
            long held = skipLog.takeSuppressed();
            LOG.warn("[{}] the channel refused the scrape of {} ({} samples), so it was skipped: {} (see"
                    + " ScrapeSkippedCount; a sink slower than the scrapes costs scrapes, never memory){}", label,
                    target.instance(), r.samples(), refused.getMessage(),
                    held > 0 ? " (" + held + " similar messages not logged)" : "");
        }
    }

    /** Rebuilds the target list from {@code targets} and the file_sd file when it changed. */
    synchronized void refreshTargets() {
        List<ScrapeTarget> list = new ArrayList<>();
        for (String t : settings.targets()) {
            list.add(ScrapeTarget.of(t, settings.scheme(), settings.path(), settings.job(), settings.labels()));
        }
        Path file = settings.fileSd();
        if (file != null) {
            try {
                FileTime mtime = Files.getLastModifiedTime(file);
                if (mtime.equals(fileSdTime)) {
                    return;
                }
                for (FileSd.Group g : FileSd.read(file)) {
                    Map<String, String> labels = new HashMap<>(settings.labels());
                    labels.putAll(g.labels());
                    for (String t : g.targets()) {
                        list.add(ScrapeTarget.of(t, settings.scheme(), settings.path(), settings.job(), labels));
                    }
                }
                fileSdTime = mtime;
                LOG.info("[{}] read {} target(s) from {}", label, list.size() - settings.targets().size(), file);
            } catch (IOException | IllegalArgumentException e) {
                if (fileSdTime == null && targets.isEmpty()) {
                    LOG.error("[{}] cannot read targets from file_sd {}: {}; scraping only the static targets until"
                            + " it is fixed", label, file, e.getMessage());
                } else {
                    LOG.error("[{}] cannot read targets from file_sd {}: {}; keeping the {} target(s) read before",
                            label, file, e.getMessage(), targets.size());
                    return;
                }
            }
        }
        targets = List.copyOf(list);
        targetGauge.reset();
        targetGauge.add(list.size());
    }
}
