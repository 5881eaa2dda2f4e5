package io.sluice.api.text;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known name nearest to a misspelt one, for the {@code (did you mean 'x'?)} of
 * configuration and query errors. Names are compared case-insensitively by optimal string alignment
 * distance (Levenshtein plus the swap of two adjacent letters, the commonest typo); a candidate is
 * suggested only within {@code max(2, length / 3)} edits, where length is the shorter of the two
 * names. Stateless and thread-safe.
 */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** The nearest candidate within a distance that still looks like a typo, if any. */
    public static Optional<String> nearest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int limit = Math.max(2, Math.min(w.length(), best.length()) / 3);
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code " (did you mean 'x'?)"}, or the empty string when nothing is close enough. */
    public static String suggest(String word, Collection<String> candidates) {
        return nearest(word, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                cur[j] = d;
            }
            int[] t = before;
            before = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
