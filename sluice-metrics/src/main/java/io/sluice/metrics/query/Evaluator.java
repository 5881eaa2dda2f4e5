package io.sluice.metrics.query;

import io.sluice.metrics.store.Bucket;
import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import io.sluice.metrics.store.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import static java.util.Objects.requireNonNull;

/**
 * Runs a query over the store. The time range {@code [from, to]} and the wanted resolution pick a
 * ring: the finest whose resolution is at least the wanted one and which still holds {@code from}
 * (the coarsest when none does). A series' value at a bucket is one of the bucket's aggregates
 * ({@code last} by default; {@code first}, {@code mean}, {@code min}, {@code max}, {@code sum},
 * {@code count}).
 *
 * <p>Functions, per series: {@code delta} (difference to the previous bucket), {@code rate}
 * (increase per second to the previous bucket, a decrease read as a counter reset),
 * {@code moving_avg(x, n)} (mean of the values among the last n buckets), {@code fill(x)} (a gap
 * takes the previous value) and {@code fill(x, v)} (a gap takes v); they drop {@code __name__}.
 * Reductions ({@code sum avg min max count by (labels)}) group series by those labels' values and
 * reduce each time over the series that have a value. Arithmetic between two sets pairs series
 * with the same labels ({@code __name__} aside), or the same values of the {@code on(...)} labels;
 * a set and a number combine each value. Stateless apart from its inputs; one per query.
 */
public final class Evaluator {
    private final MetricsStore store;
    private final long now;
    private final ToDoubleFunction<Bucket> field;

    public Evaluator(MetricsStore store, long now, String bucketField) {
        this.store = requireNonNull(store, "store is null");
        this.now = now;
        this.field = field(bucketField == null ? "last" : bucketField);
    }

    private static ToDoubleFunction<Bucket> field(String name) {
        return switch (name) {
            case "last" -> Bucket::last;
            case "first" -> Bucket::first;
            case "mean", "avg" -> Bucket::mean;
            case "min" -> Bucket::min;
            case "max" -> Bucket::max;
            case "sum" -> Bucket::sum;
            case "count" -> b -> b.count();
            default -> throw new QueryException("bucket value '" + name + "' is not one of last, first, mean, min,"
                    + " max, sum, count");
        };
    }

    /** The ring index a query of {@code [from, to]} at {@code resolutionMillis} (0: finest) reads. */
    public int ring(long from, long resolutionMillis) {
        int ring = store.ringFor(from, now);
        List<RingSpec> specs = store.specs();
        while (ring < specs.size() - 1 && specs.get(ring).resolutionMillis() < resolutionMillis) {
            ring++;
        }
        return ring;
    }

    public Matrix evaluate(Expr expr, long from, long to, long resolutionMillis) {
        if (to < from) {
            throw new QueryException("the range ends (" + to + ") before it starts (" + from + ")");
        }
        int ring = ring(from, resolutionMillis);
        long res = store.specs().get(ring).resolutionMillis();
        long first = Math.floorDiv(from, res);
        long last = Math.floorDiv(to, res);
        if (last - first > 100_000) {
            throw new QueryException("the range holds " + (last - first + 1) + " buckets of " + res + " ms (at most"
                    + " 100000); ask for a coarser resolution or a shorter range");
        }
        long[] times = new long[(int) (last - first + 1)];
        for (int i = 0; i < times.length; i++) {
            times[i] = (first + i) * res;
        }
        Context c = new Context(ring, res, times);
        return new Matrix(res, times, eval(expr, c));
    }

    private record Context(int ring, long res, long[] times) {
    }

    private List<Matrix.Row> eval(Expr e, Context c) {
        if (e instanceof Expr.Selector s) {
            return select(s, c);
        }
        if (e instanceof Expr.Number n) {
            double[] v = new double[c.times().length];
            Arrays.fill(v, n.value());
            return List.of(new Matrix.Row(Map.of(), v));
        }
        if (e instanceof Expr.Function f) {
            return function(f, eval(f.arg(), c), c);
        }
        if (e instanceof Expr.MapFunction m) {
            List<Matrix.Row> in = eval(m.arg(), c);
            List<Matrix.Row> out = new ArrayList<>(in.size());
            for (Matrix.Row r : in) {
                double[] v = r.values();
                double[] o = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    o[i] = Double.isNaN(v[i]) ? Double.NaN : m.bound().apply(v[i]);
                }
                out.add(new Matrix.Row(withoutName(r.labels()), o));
            }
            return out;
        }
        if (e instanceof Expr.Aggregate a) {
            if (a.arg() instanceof Expr.Selector s) {
                return aggregateSelected(a, s, c);
            }
            return aggregate(a, eval(a.arg(), c), c);
        }
        Expr.Binary b = (Expr.Binary) e;
        return binary(b, eval(b.left(), c), eval(b.right(), c), b.left() instanceof Expr.Number,
                b.right() instanceof Expr.Number);
    }

    private List<Matrix.Row> select(Expr.Selector s, Context c) {
        List<SeriesKey> keys = store.find(s::matches);
        long[] times = c.times();
        long from = times[0];
        long to = times[times.length - 1];
        List<Matrix.Row> rows = new ArrayList<>(keys.size());
        for (SeriesKey k : keys) {
            double[] v = new double[times.length];
            Arrays.fill(v, Double.NaN);
            for (Bucket b : store.read(k, c.ring(), from, to, now)) {
                int i = (int) ((b.start() - from) / c.res());
                if (i >= 0 && i < v.length) {
                    v[i] = field.applyAsDouble(b);
                }
            }
            Map<String, String> labels = new TreeMap<>(k.labels());
            labels.put("__name__", k.name());
            rows.add(new Matrix.Row(labels, v));
        }
        return rows;
    }

    private static Map<String, String> withoutName(Map<String, String> labels) {
        if (!labels.containsKey("__name__")) {
            return labels;
        }
        Map<String, String> m = new TreeMap<>(labels);
        m.remove("__name__");
        return m;
    }

    private static List<Matrix.Row> function(Expr.Function f, List<Matrix.Row> in, Context c) {
        List<Matrix.Row> out = new ArrayList<>(in.size());
        double seconds = c.res() / 1000.0;
        for (Matrix.Row r : in) {
            double[] v = r.values();
            double[] o = new double[v.length];
            switch (f.name()) {
                case "delta", "rate" -> {
                    o[0] = Double.NaN;
                    for (int i = 1; i < v.length; i++) {
                        double d = v[i] - v[i - 1];
                        if (f.name().equals("rate")) {
                            o[i] = increase(v[i - 1], v[i]) / seconds;
                        } else {
                            o[i] = d;
                        }
                    }
                }
                case "moving_avg" -> {
                    int n = f.param().intValue();
                    for (int i = 0; i < v.length; i++) {
                        double sum = 0;
                        int k = 0;
                        for (int j = Math.max(0, i - n + 1); j <= i; j++) {
                            if (!Double.isNaN(v[j])) {
                                sum += v[j];
                                k++;
                            }
                        }
                        o[i] = k == 0 ? Double.NaN : sum / k;
                    }
                }
                default -> {
                    double prev = Double.NaN;
                    for (int i = 0; i < v.length; i++) {
                        if (!Double.isNaN(v[i])) {
                            prev = v[i];
                            o[i] = v[i];
                        } else {
                            o[i] = f.param() != null ? f.param() : prev;
                        }
                    }
                }
            }
            out.add(new Matrix.Row(withoutName(r.labels()), o));
        }
        return out;
    }

    /**
     * The increase of a counter from one bucket's value to the next. A decrease is a counter reset
     * (the increase is the new value), unless it is within what the store's quantisation can make of
     * a counter that stood still: each bucket's value lies within 1/8190 of its bucket's span (at
     * most the counter's value) plus 2^-15 of its offset from the ring's first value (again at most
     * the value), so two readings of one unchanged counter differ by less than
     * {@link #RESET_NOISE} times it. Such a decrease is no increase, never a reset that would report
     * the whole counter (node_exporter's flat steal or iowait seconds showed it).
     */
    static double increase(double previous, double current) {
        double d = current - previous;
        if (d >= 0 || Double.isNaN(d)) {
            return d;
        }
        return -d <= RESET_NOISE * Math.max(Math.abs(previous), Math.abs(current)) ? 0 : current;
    }

    /** Relative difference two readings of an unchanged counter may show: 2 x (1/8190 + 2^-15). */
    static final double RESET_NOISE = 2 * (1.0 / 8190 + 1.0 / 32768);

    /** The running reduction of one group. */
    private static final class Acc {
        private final String op;
        private final double[] value;
        private final double[] count;

        Acc(String op, int n) {
            this.op = op;
            this.value = new double[n];
            this.count = new double[n];
            if (op.equals("min") || op.equals("max")) {
                Arrays.fill(value, Double.NaN);
            }
        }

        void add(int i, double x) {
            if (Double.isNaN(x)) {
                return;
            }
            switch (op) {
                case "min" -> value[i] = Double.isNaN(value[i]) ? x : Math.min(value[i], x);
                case "max" -> value[i] = Double.isNaN(value[i]) ? x : Math.max(value[i], x);
                default -> value[i] += x;
            }
            count[i]++;
        }

        double[] result() {
            double[] o = new double[value.length];
            for (int i = 0; i < o.length; i++) {
                double n = count[i];
                o[i] = switch (op) {
                    case "count" -> n == 0 ? Double.NaN : n;
                    case "avg" -> n == 0 ? Double.NaN : value[i] / n;
                    case "sum" -> n == 0 ? Double.NaN : value[i];
                    default -> value[i];
                };
            }
            return o;
        }
    }

    private static List<Matrix.Row> aggregate(Expr.Aggregate a, List<Matrix.Row> in, Context c) {
        int n = c.times().length;
        Map<Map<String, String>, Acc> groups = new LinkedHashMap<>();
        for (Matrix.Row r : in) {
            Map<String, String> key = new TreeMap<>();
            for (String l : a.by()) {
                String v = r.labels().get(l);
                if (v != null) {
                    key.put(l, v);
                }
            }
            Acc acc = groups.computeIfAbsent(key, k -> new Acc(a.op(), n));
            double[] v = r.values();
            for (int i = 0; i < n; i++) {
                acc.add(i, v[i]);
            }
        }
        List<Matrix.Row> out = new ArrayList<>(groups.size());
        groups.forEach((k, acc) -> out.add(new Matrix.Row(k, acc.result())));
        return out;
    }

    /**
     * A reduction straight over a selector, without a row per series: the buckets of each series
     * are folded into their group as they are read (the common "avg by (rack) (temperature)").
     */
    private List<Matrix.Row> aggregateSelected(Expr.Aggregate a, Expr.Selector s, Context c) {
        long[] times = c.times();
        long from = times[0];
        long to = times[times.length - 1];
        List<String> by = a.by();
        Map<List<String>, Acc> groups = new HashMap<>();
        for (SeriesKey k : store.find(s::matches)) {
            List<String> gk = new ArrayList<>(by.size());
            for (String l : by) {
                gk.add(k.label(l));
            }
            Acc acc = groups.computeIfAbsent(gk, x -> new Acc(a.op(), times.length));
            for (Bucket b : store.read(k, c.ring(), from, to, now)) {
                int i = (int) ((b.start() - from) / c.res());
                if (i >= 0 && i < times.length) {
                    acc.add(i, field.applyAsDouble(b));
                }
            }
        }
        List<Matrix.Row> out = new ArrayList<>(groups.size());
        groups.forEach((gk, acc) -> {
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < by.size(); i++) {
                if (gk.get(i) != null) {
                    labels.put(by.get(i), gk.get(i));
                }
            }
            out.add(new Matrix.Row(labels, acc.result()));
        });
        return out;
    }

    private static List<Matrix.Row> binary(Expr.Binary b, List<Matrix.Row> left, List<Matrix.Row> right,
            boolean leftScalar, boolean rightScalar) {
        if (leftScalar || rightScalar) {
            List<Matrix.Row> set = leftScalar ? right : left;
            double[] k = (leftScalar ? left : right).get(0).values();
            List<Matrix.Row> out = new ArrayList<>(set.size());
            for (Matrix.Row r : set) {
                double[] o = new double[k.length];
                for (int i = 0; i < k.length; i++) {
                    o[i] = leftScalar ? apply(b.op(), k[i], r.values()[i]) : apply(b.op(), r.values()[i], k[i]);
                }
                out.add(new Matrix.Row(leftScalar && rightScalar ? Map.of() : withoutName(r.labels()), o));
            }
            return out;
        }
        Map<Map<String, String>, Matrix.Row> byKey = new HashMap<>();
        for (Matrix.Row r : right) {
            Map<String, String> key = matchKey(r.labels(), b.on());
            if (byKey.put(key, r) != null) {
                throw new QueryException("several series on the right of '" + b.op() + "' have the labels " + key
                        + "; match on labels that tell them apart with on(...)");
            }
        }
        List<Matrix.Row> out = new ArrayList<>();
        Map<Map<String, String>, Boolean> seenLeft = new HashMap<>();
        for (Matrix.Row l : left) {
            Map<String, String> key = matchKey(l.labels(), b.on());
            Matrix.Row r = byKey.get(key);
            if (r == null) {
                continue;
            }
            if (seenLeft.put(key, Boolean.TRUE) != null) {
                throw new QueryException("several series on the left of '" + b.op() + "' have the labels " + key
                        + "; match on labels that tell them apart with on(...)");
            }
            double[] o = new double[l.values().length];
            for (int i = 0; i < o.length; i++) {
                o[i] = apply(b.op(), l.values()[i], r.values()[i]);
            }
            out.add(new Matrix.Row(withoutName(l.labels()), o));
        }
        return out;
    }

    private static Map<String, String> matchKey(Map<String, String> labels, List<String> on) {
        if (on == null) {
            return withoutName(labels);
        }
        Map<String, String> m = new TreeMap<>();
        for (String l : on) {
            String v = labels.get(l);
            if (v != null) {
                m.put(l, v);
            }
        }
        return m;
    }

    private static double apply(char op, double a, double b) {
        return switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            default -> a / b;
        };
    }
}
