package io.sluice.metrics.source;

import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.metrics.sink.MetricsSink;
import io.sluice.metrics.text.ExpositionParser;
import io.sluice.metrics.text.SampleWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Reads exposition-format files that applications drop in a directory (Artimon's
 * {@code /var/run/artimon}) every {@code interval}: one event per file, in the same shape as the
 * {@code prometheus} source's (a sample per line, the read time for samples without a timestamp,
 * the {@code labels.*} added to every sample where the file does not set them). Files are read,
 * never moved or deleted: the applications rewrite them. A file that is too large or does not
 * parse is skipped and counted ({@code FileFailCount}); a file the full channel refuses is
 * counted ({@code ScrapeSkippedCount}) and read again at the next interval. Thread-safe: one
 * scheduler thread does the work.
 */
public final class MetricsDirSource extends AbstractSource implements EventDrivenSource {
    static final String FILES_READ = "FileReadCount";
    static final String FILE_FAILURES = "FileFailCount";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsDirSource.class);

    private final String label;
    private final Path directory;
    private final Pattern include;
    private final Map<String, String> labels;
    private final long intervalMillis;
    private final long maxFileSize;
    private final SourceCounter counter;
    private final Clock clock;
    private final LongAdder read;
    private final LongAdder failed;
    private final ScrapeDelivery delivery;
    private final RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10));
    private ScheduledExecutorService scheduler;

    MetricsDirSource(String name, String label, Path directory, Pattern include, Map<String, String> labels,
            long intervalMillis, long maxFileSize, SourceCounter counter, Clock clock) {
        super(name);
        this.label = requireNonNull(label, "label is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.include = requireNonNull(include, "include is null");
        this.labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        this.intervalMillis = intervalMillis;
        this.maxFileSize = maxFileSize;
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.read = counter.counter(FILES_READ);
        this.failed = counter.counter(FILE_FAILURES);
        this.delivery = new ScrapeDelivery(counter);
    }

    public SourceCounter counter() {
        return counter;
    }

    @Override
    protected void doStart() {
        counter.markStarted(clock.millis());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, label + "-metricsdir");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::cycle, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        counter.markStopped(clock.millis());
    }

    private void cycle() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) && include.matcher(p.getFileName().toString()).matches()) {
                    files.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (log.allow()) {
                LOG.error("[{}] cannot list {}: {} (create it, or fix its permissions)", label, directory,
                        e.toString());
            }
            return;
        }
        files.sort(null);
        long now = clock.millis();
        for (Path f : files) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            readOne(f, now);
        }
    }

    private void readOne(Path file, long now) {
        String text;
        try {
            long size = Files.size(file);
            if (size > maxFileSize) {
                fail(file, size + " bytes is more than maxFileSize (" + maxFileSize + ")");
                return;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            fail(file, e.toString());
            return;
        }
        SampleWriter out = new SampleWriter(text.length() + text.length() / 2);
        int[] n = {0};
        List<ExpositionParser.Problem> problems = ExpositionParser.parse(text, false,
                (name, l, type, value, s, ts) -> {
                    n[0]++;
                    out.write(name, withLabels(l), type, value, s, ts == Long.MIN_VALUE ? now : ts);
                });
        if (!problems.isEmpty()) {
            fail(file, "it does not parse: " + problems.get(0));
            return;
        }
        read.increment();
        Event event = Event.wrap(Map.of("timestamp", Long.toString(now), MetricsSink.FORMAT_HEADER, "prometheus",
                "file", file.getFileName().toString()), out.toString().getBytes(StandardCharsets.UTF_8));
        ChannelException refused = delivery.put(getChannelProcessor(), event, n[0]);
        if (refused != null && log.allow()) {
            LOG.warn("[{}] the channel refused {} ({} samples); it is read again at the next interval: {}", label,
                    file, n[0], refused.getMessage());
        }
    }

    private String[] withLabels(String[] l) {
        if (labels.isEmpty()) {
            return l;
        }
        List<String> out = new ArrayList<>(l.length + labels.size() * 2);
        for (String s : l) {
            out.add(s);
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            boolean present = false;
            for (int i = 0; i < l.length; i += 2) {
                present |= l[i].equals(e.getKey());
            }
            if (!present) {
                out.add(e.getKey());
                out.add(e.getValue());
            }
        }
        return out.toArray(new String[0]);
    }

    private void fail(Path file, String why) {
        failed.increment();
        counter.incrementEventReadFail();
        if (log.allow()) {
            LOG.warn("[{}] skipped {}: {} (see FileFailCount)", label, file, why);
        }
    }
}
