package io.sluice.metrics.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One ring of a series: {@code buckets} buckets of {@code resolutionMillis} each, so it covers
 * {@code buckets * resolutionMillis} of history. Written {@code 60x1m} in configuration (units
 * {@code s}, {@code m}, {@code h}, {@code d}). Immutable.
 */
public record RingSpec(int buckets, long resolutionMillis) {
    /** Artimon's rings: 60 x 1 minute, 48 x 5 minutes, 96 x 15 minutes, 72 x 1 hour. */
    public static final String DEFAULT = "60x1m,48x5m,96x15m,72x1h";

    public RingSpec {
        if (buckets < 1 || buckets > 100_000) {
            throw new IllegalArgumentException("buckets: " + buckets + " (expected: 1 to 100000)");
        }
        if (resolutionMillis < 1000) {
            throw new IllegalArgumentException("resolution: " + resolutionMillis + " ms (expected: >= 1 s)");
        }
    }

    /** The history this ring holds, in milliseconds. */
    public long spanMillis() {
        return buckets * resolutionMillis;
    }

    @Override
    public String toString() {
        return buckets + "x" + unit(resolutionMillis);
    }

    private static String unit(long ms) {
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        return ms / 1000 + "s";
    }

    /**
     * Parses {@code 60x1m,48x5m,...}: rings from finest to coarsest, each resolution a whole multiple
     * of the previous one (a closed fine bucket is folded into exactly one coarse bucket).
     *
     * @throws IllegalArgumentException naming the bad part and the expected form
     */
    public static List<RingSpec> parseList(String text) {
        List<RingSpec> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            int x = p.indexOf('x');
            if (x <= 0 || x == p.length() - 1) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not BUCKETSxRESOLUTION, e.g. 60x1m");
            }
            int n;
            long ms;
            try {
                n = Integer.parseInt(p.substring(0, x));
                String r = p.substring(x + 1);
                char u = r.charAt(r.length() - 1);
                long mult = switch (u) {
                    case 's' -> 1000L;
                    case 'm' -> 60_000L;
                    case 'h' -> 3_600_000L;
                    case 'd' -> 86_400_000L;
                    default -> throw new IllegalArgumentException(
                            "'" + part.trim() + "': resolution unit must be s, m, h or d");
                };
                ms = Long.parseLong(r.substring(0, r.length() - 1)) * mult;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not BUCKETSxRESOLUTION, e.g. 60x1m");
            }
            RingSpec spec = new RingSpec(n, ms);
            if (!out.isEmpty()) {
                RingSpec prev = out.get(out.size() - 1);
                if (ms <= prev.resolutionMillis || ms % prev.resolutionMillis != 0) {
                    throw new IllegalArgumentException("'" + part.trim() + "': each resolution must be a larger whole"
                            + " multiple of the previous one (" + prev + ")");
                }
            }
            out.add(spec);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no ring given; expected e.g. " + DEFAULT);
        }
        if (out.size() > 8) {
            throw new IllegalArgumentException(out.size() + " rings (expected: at most 8)");
        }
        return List.copyOf(out);
    }
}
