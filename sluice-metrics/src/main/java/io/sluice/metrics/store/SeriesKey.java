package io.sluice.metrics.store;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A series' identity: its name and its labels, sorted by label name. Immutable; the strings are
 * interned by the store so that series sharing a label value share one string.
 */
public final class SeriesKey {
    private final String name;
    /** label names and values alternating, sorted by name. */
    private final String[] labels;
    private final int hash;

    SeriesKey(String name, String[] labels) {
        this.name = requireNonNull(name, "name is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.hash = 31 * name.hashCode() + Arrays.hashCode(labels);
    }

    /** A key from a name and labels (any order); the {@code __name__} label, if given, is ignored. */
    public static SeriesKey of(String name, Map<String, String> labels) {
        TreeMap<String, String> sorted = new TreeMap<>(labels);
        sorted.remove("__name__");
        String[] arr = new String[sorted.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            arr[i++] = e.getKey();
            arr[i++] = e.getValue();
        }
        return new SeriesKey(name, arr);
    }

    /**
     * A key from a name and label names and values alternating, in any order, as a parser reads
     * them; {@code __name__} is ignored and of a label given twice the last value counts (as
     * {@link #of(String, Map)} would). Allocates only the key: this is the sink's per-sample path.
     */
    public static SeriesKey of(String name, String[] pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("pairs: " + pairs.length + " strings (expected: an even number)");
        }
        String[] a = pairs.clone();
        // insertion sort of the pairs by label name, stable, so the last of equal names stays last
        for (int i = 2; i < a.length; i += 2) {
            String k = a[i];
            String v = a[i + 1];
            int j = i - 2;
            while (j >= 0 && a[j].compareTo(k) > 0) {
                a[j + 2] = a[j];
                a[j + 3] = a[j + 1];
                j -= 2;
            }
            a[j + 2] = k;
            a[j + 3] = v;
        }
        int n = 0;
        for (int i = 0; i < a.length; i += 2) {
            if (a[i].equals("__name__")) {
                continue;
            }
            if (n > 0 && a[n - 2].equals(a[i])) {
                a[n - 1] = a[i + 1];
                continue;
            }
            a[n] = a[i];
            a[n + 1] = a[i + 1];
            n += 2;
        }
        return new SeriesKey(name, n == a.length ? a : Arrays.copyOf(a, n));
    }

    public String name() {
        return name;
    }

    /** The value of label {@code label}, or {@code null}. */
    public String label(String label) {
        if ("__name__".equals(label)) {
            return name;
        }
        for (int i = 0; i < labels.length; i += 2) {
            if (labels[i].equals(label)) {
                return labels[i + 1];
            }
        }
        return null;
    }

    /** The labels, sorted by name (without {@code __name__}). */
    public Map<String, String> labels() {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    int labelCount() {
        return labels.length / 2;
    }

    String labelName(int i) {
        return labels[2 * i];
    }

    String labelValue(int i) {
        return labels[2 * i + 1];
    }

    SeriesKey interned(Interner interner) {
        String[] arr = new String[labels.length];
        for (int i = 0; i < arr.length; i++) {
            arr[i] = interner.intern(labels[i]);
        }
        return new SeriesKey(interner.intern(name), arr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesKey k && hash == k.hash && name.equals(k.name) && Arrays.equals(labels, k.labels);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@code name{a="1",b="2"}}, label values escaped as in the Prometheus text format. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        if (labels.length > 0) {
            sb.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(labels[i]).append("=\"");
                escape(labels[i + 1], sb);
                sb.append('"');
            }
            sb.append('}');
        }
        return sb.toString();
    }

    static void escape(String v, StringBuilder sb) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }
}
