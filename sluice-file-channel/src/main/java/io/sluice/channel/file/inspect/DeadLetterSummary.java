package io.sluice.channel.file.inspect;

import io.sluice.api.Event;
import io.sluice.api.deadletter.DeadLetters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dead letters found among a channel's live events, for {@code sluice channel inspect
 * --dead-letters}: how many, grouped by the component that set them aside and the reason, and the
 * first {@code limit} of them, described. An event without a {@code sluice.error} header is
 * counted as not a dead letter. Not thread-safe: filled by one inspection, then read.
 */
public final class DeadLetterSummary {
    private final int limit;
    private final Map<String, Map<String, Long>> byComponent = new TreeMap<>();
    private final List<String> shown = new ArrayList<>();
    private long letters;
    private long others;

    /** @param limit how many dead letters to describe in full (0 for the summary only) */
    public DeadLetterSummary(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        this.limit = limit;
    }

    /** Adds one live event, found at {@code where}. */
    void add(String where, Event e) {
        String error = e.header(DeadLetters.ERROR);
        if (error == null) {
            others++;
            return;
        }
        letters++;
        String component = e.header(DeadLetters.COMPONENT);
        byComponent.computeIfAbsent(component == null ? "(unknown component)" : component, k -> new TreeMap<>())
                .merge(error, 1L, Long::sum);
        if (shown.size() < limit) {
            Map<String, String> rest = new LinkedHashMap<>(e.headers());
            rest.remove(DeadLetters.ERROR);
            rest.remove(DeadLetters.COMPONENT);
            String failedAt = rest.remove(DeadLetters.FAILED_AT);
            String body = e.bodyAsString();
            if (body.length() > 200) {
                body = body.substring(0, 200) + "...";
            }
            shown.add("#" + (shown.size() + 1) + " " + where + "\n"
                    + "    failed at: " + (failedAt == null ? "(unknown)" : failedAt) + "\n"
                    + "    component: " + (component == null ? "(unknown)" : component) + "\n"
                    + "    error:     " + error + "\n"
                    + "    headers:   " + rest + "\n"
                    + "    body:      \"" + body.replace("\r", "\\r").replace("\n", "\\n") + "\" ("
                    + e.bodyLength() + " bytes)");
        }
    }

    public long letters() {
        return letters;
    }

    /** Live events without a {@code sluice.error} header. */
    public long others() {
        return others;
    }

    /** Component label to reason to count, sorted. */
    public Map<String, Map<String, Long>> byComponent() {
        return byComponent;
    }

    void render(StringBuilder sb) {
        sb.append("dead letters: ").append(letters);
        if (others > 0) {
            sb.append(" (and ").append(others).append(" other event(s) without ").append(DeadLetters.ERROR)
                    .append(')');
        }
        sb.append('\n');
        byComponent.forEach((component, reasons) -> {
            long n = reasons.values().stream().mapToLong(Long::longValue).sum();
            sb.append("  ").append(component).append(": ").append(n).append('\n');
            reasons.forEach((reason, count) -> sb.append("    ").append(count).append("  ").append(reason)
                    .append('\n'));
        });
        if (!shown.isEmpty()) {
            sb.append("first ").append(shown.size()).append(" dead letter(s), oldest first:\n");
            for (String s : shown) {
                sb.append("  ").append(s).append('\n');
            }
        }
    }
}
