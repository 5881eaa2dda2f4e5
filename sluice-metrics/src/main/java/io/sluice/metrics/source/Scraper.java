package io.sluice.metrics.source;

import io.sluice.metrics.store.ValueType;
import io.sluice.metrics.text.ExpositionParser;
import io.sluice.metrics.text.SampleWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scrapes one target once and turns the answer into the body of one event: every sample with
 * the target's labels applied ({@code honor_labels} semantics) and a timestamp, followed by
 * {@code up}, {@code scrape_duration_seconds} and {@code scrape_samples_scraped} as Prometheus
 * adds them. Thread-safe (the HTTP client is).
 */
final class Scraper {
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final HttpClient client;
    private final Duration timeout;
    private final long bodyLimit;
    private final boolean honorLabels;
    private final boolean honorTimestamps;

    Scraper(HttpClient client, Duration timeout, long bodyLimit, boolean honorLabels, boolean honorTimestamps) {
        this.client = client;
        this.timeout = timeout;
        this.bodyLimit = bodyLimit;
        this.honorLabels = honorLabels;
        this.honorTimestamps = honorTimestamps;
    }

    /** The outcome of one scrape: the event body, and why it failed (null when it worked). */
    record Result(String body, int samples, String failure) {
    }

    Result scrape(ScrapeTarget target, long now) throws InterruptedException {
        long start = System.nanoTime();
        String failure = null;
        String text = null;
        boolean om = false;
        try {
            HttpRequest req = HttpRequest.newBuilder(target.uri()).timeout(timeout).header("Accept", ACCEPT)
                    .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(timeout.toMillis() / 1000.0))
                    .GET().build();
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    failure = "HTTP status " + resp.statusCode();
                } else {
                    String ct = resp.headers().firstValue("Content-Type").orElse("");
                    om = ct.startsWith("application/openmetrics-text");
                    text = readLimited(in, start);
                }
            }
        } catch (BodyTooLarge e) {
            failure = e.getMessage();
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            failure = e.getMessage();
        }
        SampleWriter out = new SampleWriter(text == null ? 256 : text.length() + text.length() / 2);
        int[] samples = {0};
        if (text != null) {
            List<ExpositionParser.Problem> problems = ExpositionParser.parse(text, om,
                    (name, labels, type, value, s, ts) -> {
                        samples[0]++;
                        out.write(name, relabel(labels, target.labels()), type, value, s,
                                honorTimestamps && ts != Long.MIN_VALUE ? ts : now);
                    });
            if (!problems.isEmpty()) {
                // Prometheus refuses a scrape that does not parse whole: so do we
                failure = "the answer does not parse: " + problems.get(0);
                samples[0] = 0;
            }
        }
        String body = failure == null ? out.toString() : "";
        SampleWriter meta = new SampleWriter(256);
        String[] tl = relabel(new String[0], target.labels());
        meta.write("up", tl, ValueType.INTEGER, failure == null ? 1 : 0, null, now);
        meta.write("scrape_duration_seconds", tl, ValueType.DOUBLE, (System.nanoTime() - start) / 1e9, null, now);
        meta.write("scrape_samples_scraped", tl, ValueType.INTEGER, samples[0], null, now);
        return new Result(body + meta, samples[0], failure);
    }

    /**
     * The sample's labels merged with the target's. With {@code honor_labels} false a scraped label
     * that clashes with a target label is kept as {@code exported_<name>} and the target's value
     * wins; with it true the scraped label wins.
     */
    String[] relabel(String[] scraped, Map<String, String> targetLabels) {
        List<String> out = new ArrayList<>(scraped.length + targetLabels.size() * 2);
        for (int i = 0; i < scraped.length; i += 2) {
            String name = scraped[i];
            if (!honorLabels && targetLabels.containsKey(name)) {
                out.add("exported_" + name);
            } else {
                out.add(name);
            }
            out.add(scraped[i + 1]);
        }
        for (Map.Entry<String, String> e : targetLabels.entrySet()) {
            if (honorLabels && contains(scraped, e.getKey())) {
                continue;
            }
            out.add(e.getKey());
            out.add(e.getValue());
        }
        return out.toArray(new String[0]);
    }

    private static boolean contains(String[] labels, String name) {
        for (int i = 0; i < labels.length; i += 2) {
            if (labels[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    private String readLimited(InputStream in, long startNanos) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[16384];
        int n;
        while ((n = in.read(chunk)) > 0) {
            if (buf.size() + n > bodyLimit) {
                throw new BodyTooLarge("the answer is larger than body_size_limit (" + bodyLimit + " bytes)");
            }
            if (System.nanoTime() - startNanos > timeout.toNanos()) {
                throw new IOException("the answer took longer than the scrape timeout (" + timeout.toMillis()
                        + " ms)");
            }
            buf.write(chunk, 0, n);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static final class BodyTooLarge extends IOException {
        BodyTooLarge(String message) {
            super(message);
        }
    }
}
