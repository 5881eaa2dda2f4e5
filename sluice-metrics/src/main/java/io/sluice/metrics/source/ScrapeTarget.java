package io.sluice.metrics.source;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * One endpoint to scrape and the labels its samples get ({@code job}, {@code instance}, the
 * target group's labels and the source's {@code labels.*}). Immutable.
 */
public record ScrapeTarget(URI uri, Map<String, String> labels) {
    public ScrapeTarget {
        requireNonNull(uri, "uri is null");
        // sorted, so a target's samples always carry their labels in one order
        labels = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(labels, "labels is null")));
    }

    /** A target from {@code host:port} or a full URL, with its {@code instance} and {@code job} labels. */
    static ScrapeTarget of(String target, String scheme, String path, String job, Map<String, String> extra) {
        String t = target.trim();
        URI uri;
        String instance;
        if (t.contains("://")) {
            uri = URI.create(t);
            instance = uri.getAuthority();
        } else {
            if (t.isEmpty() || t.contains("/")) {
                throw new IllegalArgumentException("target '" + target + "' is neither host:port nor a URL");
            }
            uri = URI.create(scheme + "://" + t + path);
            instance = t;
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("target '" + target + "' has no host");
        }
        Map<String, String> labels = new TreeMap<>(extra);
        labels.putIfAbsent("instance", instance);
        labels.putIfAbsent("job", job);
        return new ScrapeTarget(uri, labels);
    }

    String instance() {
        return labels.get("instance");
    }
}
