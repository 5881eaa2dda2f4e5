package io.sluice.metrics.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The store's inverted index: every series gets a number in the order it is created, and each
 * label pair ({@code __name__} included) keeps the sorted list of the numbers of the series that
 * carry it. A selector's equality matchers are answered by intersecting those lists, smallest
 * first, so a query touches the series it selects, not every series of the store.
 *
 * <p>Series are never removed. One writer at a time adds (the store serialises creation); readers
 * run at any time without a lock: a list publishes its array before its size (both volatile), and
 * a series is placed in its slot before its number is added to any list, so a reader that sees a
 * number also sees the series.
 */
final class LabelIndex {
    static final String NAME = "__name__";
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK = 1 << CHUNK_BITS;

    /**
     * One label pair's series numbers, ascending. The first is kept in a field and the array made
     * only for a second: most pairs of a large store (an instance, a unique id) hold one series.
     */
    static final class Postings {
        private final int first;
        private volatile int[] more;
        private volatile int size = 1;

        Postings(int first) {
            this.first = first;
        }

        /** Adds {@code id}, larger than every number held; the writer publishes the array before the size. */
        void add(int id) {
            int n = size;
            int[] a = more;
            if (a == null || n - 1 == a.length) {
                a = a == null ? new int[2] : Arrays.copyOf(a, a.length < 8 ? a.length * 2 : a.length + (a.length >> 1));
                more = a;
            }
            a[n - 1] = id;
            size = n + 1;
        }

        int[] snapshot() {
            int n = size;
            int[] out = new int[n];
            out[0] = first;
            if (n > 1) {
                System.arraycopy(more, 0, out, 1, n - 1);
            }
            return out;
        }

        int size() {
            return size;
        }
    }

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Postings>> postings =
            new ConcurrentHashMap<>();
    private volatile Series[][] chunks = new Series[0][];
    private volatile int count;

    /** Gives {@code s} the next number and indexes its name and labels; callers serialise this. */
    void add(Series s) {
        int id = count;
        Series[][] c = chunks;
        if (id >>> CHUNK_BITS >= c.length) {
            c = Arrays.copyOf(c, c.length + 1);
            c[c.length - 1] = new Series[CHUNK];
            chunks = c;
        }
        c[id >>> CHUNK_BITS][id & (CHUNK - 1)] = s;
        SeriesKey k = s.key();
        index(NAME, k.name(), id);
        for (int i = 0; i < k.labelCount(); i++) {
            index(k.labelName(i), k.labelValue(i), id);
        }
        count = id + 1;
    }

    private void index(String label, String value, int id) {
        ConcurrentHashMap<String, Postings> values = postings.computeIfAbsent(label, x -> new ConcurrentHashMap<>());
        Postings p = values.get(value);
        if (p == null) {
            values.put(value, new Postings(id)); // the map's volatile write publishes the new list whole
        } else {
            p.add(id);
        }
    }

    /** Puts {@code fresh} in the slot of {@code old} (same key, so the same lists); callers serialise this. */
    void replace(Series old, Series fresh) {
        int n = count;
        for (int i = 0; i < n; i++) {
            Series[] chunk = chunks[i >>> CHUNK_BITS];
            if (chunk[i & (CHUNK - 1)] == old) {
                chunk[i & (CHUNK - 1)] = fresh;
                count = n; // publishes the new slot to readers that read the count
                return;
            }
        }
        throw new IllegalStateException("series " + old.key() + " is not indexed");
    }

    int count() {
        return count;
    }

    /** The series numbered {@code id} (below {@link #count()} or taken from a list). */
    Series get(int id) {
        return chunks[id >>> CHUNK_BITS][id & (CHUNK - 1)];
    }

    /**
     * The numbers, ascending, of the series carrying every pair of {@code pairs} (label names and
     * values alternating, {@code __name__} for the name); every series when there is none.
     */
    int[] lookup(List<String> pairs) {
        if (pairs.isEmpty()) {
            int n = count;
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int m = pairs.size() / 2;
        Postings[] lists = new Postings[m];
        for (int i = 0; i < m; i++) {
            ConcurrentHashMap<String, Postings> values = postings.get(pairs.get(2 * i));
            Postings p = values == null ? null : values.get(pairs.get(2 * i + 1));
            if (p == null) {
                return new int[0];
            }
            lists[i] = p;
        }
        Arrays.sort(lists, (a, b) -> Integer.compare(a.size(), b.size()));
        int[] acc = lists[0].snapshot();
        for (int i = 1; i < m && acc.length > 0; i++) {
            acc = intersect(acc, lists[i].snapshot());
        }
        return acc;
    }

    /**
     * The numbers, ascending, of the series whose label {@code label} ({@code __name__} for the
     * name) has a value that {@code accept} takes; series without the label are not among them.
     * {@code accept} is asked once per distinct value of the label, not once per series, and the
     * lists of the values it takes are joined (they never overlap: a series has one value per label).
     */
    int[] matching(String label, Predicate<String> accept) {
        ConcurrentHashMap<String, Postings> values = postings.get(label);
        if (values == null) {
            return new int[0];
        }
        List<Postings> taken = new ArrayList<>();
        for (Map.Entry<String, Postings> e : values.entrySet()) {
            if (accept.test(e.getKey())) {
                taken.add(e.getValue());
            }
        }
        return union(taken);
    }

    /** The numbers, ascending, of the series whose label {@code label} has one of {@code wanted}. */
    int[] withAnyOf(String label, Collection<String> wanted) {
        ConcurrentHashMap<String, Postings> values = postings.get(label);
        if (values == null) {
            return new int[0];
        }
        List<Postings> taken = new ArrayList<>();
        for (String v : wanted) {
            Postings p = values.get(v);
            if (p != null) {
                taken.add(p);
            }
        }
        return union(taken);
    }

    /** Joins disjoint lists: one list is copied; several are marked in a bit set, read back in order. */
    private static int[] union(List<Postings> lists) {
        if (lists.isEmpty()) {
            return new int[0];
        }
        if (lists.size() == 1) {
            return lists.get(0).snapshot();
        }
        int total = 0;
        int max = 0;
        int[][] parts = new int[lists.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = lists.get(i).snapshot();
            total += parts[i].length;
            max = Math.max(max, parts[i][parts[i].length - 1]);
        }
        long[] bits = new long[(max >>> 6) + 1];
        for (int[] part : parts) {
            for (int id : part) {
                bits[id >>> 6] |= 1L << id;
            }
        }
        int[] out = new int[total];
        int n = 0;
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                out[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return n == total ? out : Arrays.copyOf(out, n);
    }

    /** The numbers of the ascending array {@code from} that are not in the ascending array {@code minus}. */
    static int[] subtract(int[] from, int[] minus) {
        if (minus.length == 0 || from.length == 0) {
            return from;
        }
        int[] out = new int[from.length];
        int n = 0;
        int j = 0;
        for (int x : from) {
            while (j < minus.length && minus[j] < x) {
                j++;
            }
            if (j == minus.length || minus[j] != x) {
                out[n++] = x;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * The numbers in both ascending arrays. Walks the shorter one and gallops through the longer,
     * so a small list against a large one costs about small x log(large).
     */
    static int[] intersect(int[] small, int[] large) {
        if (small.length > large.length) {
            int[] t = small;
            small = large;
            large = t;
        }
        int[] out = new int[small.length];
        int n = 0;
        int j = 0;
        for (int x : small) {
            int step = 1;
            int hi = j;
            while (hi < large.length && large[hi] < x) {
                j = hi + 1;
                hi += step;
                step <<= 1;
            }
            int lo = j;
            hi = Math.min(hi, large.length - 1);
            int at = Arrays.binarySearch(large, lo, hi + 1, x);
            if (at >= 0) {
                out[n++] = x;
                j = at + 1;
            } else {
                j = -at - 1;
            }
            if (j >= large.length) {
                break;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
