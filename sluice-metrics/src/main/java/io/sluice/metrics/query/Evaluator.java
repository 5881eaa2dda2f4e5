package io.sluice.metrics.query;

import io.sluice.metrics.store.BucketVisitor;
import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import io.sluice.metrics.store.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
    private static final int LAST = 0;
    private static final int FIRST = 1;
    private static final int MEAN = 2;
    private static final int MIN = 3;
    private static final int MAX = 4;
    private static final int SUM = 5;
    private static final int COUNT = 6;
    /** How many series are read between two looks at the deadline. */
    private static final int CHECK_EVERY = 1024;

    private final MetricsStore store;
    private final long now;
    private final int field;
    private final long deadlineNanos;
    private final long timeoutMillis;

    public Evaluator(MetricsStore store, long now, String bucketField) {
        this(store, now, bucketField, 0);
    }

    /**
     * @param timeoutMillis how long {@link #evaluate} may run (0: no limit); past it, it stops
     *     with a {@link QueryTimeoutException}, as it does when its thread is interrupted
     */
    public Evaluator(MetricsStore store, long now, String bucketField, long timeoutMillis) {
        this.store = requireNonNull(store, "store is null");
        this.now = now;
        this.field = field(bucketField == null ? "last" : bucketField);
        this.timeoutMillis = timeoutMillis;
        this.deadlineNanos = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000 : 0;
    }

    private static int field(String name) {
        return switch (name) {
            case "last" -> LAST;
            case "first" -> FIRST;
            case "mean", "avg" -> MEAN;
            case "min" -> MIN;
            case "max" -> MAX;
            case "sum" -> SUM;
            case "count" -> COUNT;
            default -> throw new QueryException("bucket value '" + name + "' is not one of last, first, mean, min,"
                    + " max, sum, count");
        };
    }

    private double pick(long count, double sum, double min, double max, double first, double last) {
        return switch (field) {
            case LAST -> last;
            case FIRST -> first;
            case MEAN -> count == 0 ? Double.NaN : sum / count;
            case MIN -> min;
            case MAX -> max;
            case SUM -> sum;
            default -> count;
        };
    }

    /** Stops the query once past its deadline or when its thread was interrupted (the query was abandoned). */
    private void checkDeadline() {
        if (Thread.currentThread().isInterrupted()) {
            throw new QueryTimeoutException("the query was cancelled after " + timeoutMillis + " ms (query.timeout);"
                    + " select fewer series or a shorter range");
        }
        if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new QueryTimeoutException("the query ran longer than " + timeoutMillis + " ms (query.timeout);"
                    + " select fewer series or a shorter range, or raise query.timeout");
        }
    }

    /**
     * The ids of the series {@code s} selects, ascending, found in the store's label index without
     * reading other series. Its name and equality matchers are looked up directly. Any other matcher
     * is tested once per distinct value of its label: a matcher that an absent label fails
     * ({@code =~"sd.*"}, {@code !=""}) gives the series of the values it takes, to intersect with;
     * one that an absent label passes ({@code !="x"}, {@code !~"tmp.*"}, {@code =~".*"}) gives the
     * series of the values it refuses, to take away. A regular expression of literals joined by
     * {@code |} is looked up value by value. The answer equals a test of every series.
     */
    public static int[] select(MetricsStore store, Expr.Selector s) {
        int indexed = store.indexedCount(); // ids below it are fully indexed: every list agrees on them
        List<String> pairs = new ArrayList<>();
        if (s.name() != null) {
            pairs.add("__name__");
            pairs.add(s.name());
        }
        List<int[]> within = new ArrayList<>();
        List<int[]> without = new ArrayList<>();
        for (Expr.Matcher m : s.matchers()) {
            if (m.op().equals("=") && !m.value().isEmpty()) {
                pairs.add(m.label());
                pairs.add(m.value());
                continue;
            }
            List<String> literals = m.literals();
            if (!m.matches(null)) {
                // only series carrying the label can match: the values it takes
                within.add(m.positive() && literals != null ? store.lookupAnyOf(m.label(), literals)
                        : store.lookupMatching(m.label(), m::matches));
            } else {
                // series without the label match: take away those whose value it refuses
                without.add(!m.positive() && literals != null ? store.lookupAnyOf(m.label(), literals)
                        : store.lookupMatching(m.label(), v -> !m.matches(v)));
            }
        }
        if (!pairs.isEmpty() || within.isEmpty()) {
            within.add(store.lookup(pairs));
        }
        within.sort(Comparator.comparingInt(a -> a.length));
        int[] ids = within.get(0);
        for (int i = 1; i < within.size() && ids.length > 0; i++) {
            ids = MetricsStore.intersect(ids, within.get(i));
        }
        for (int[] minus : without) {
            ids = MetricsStore.subtract(ids, minus);
        }
        int end = Arrays.binarySearch(ids, indexed);
        end = end < 0 ? -end - 1 : end;
        return end == ids.length ? ids : Arrays.copyOf(ids, end);
    }

    /** The keys of the series {@code s} selects, in the order the store created them. */
    public static List<SeriesKey> keys(MetricsStore store, Expr.Selector s) {
        int[] ids = select(store, s);
        List<SeriesKey> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(store.key(id));
        }
        return out;
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
        int[] ids = select(store, s);
        long[] times = c.times();
        long from = times[0];
        long to = times[times.length - 1];
        long res = c.res();
        List<Matrix.Row> rows = new ArrayList<>(ids.length);
        for (int n = 0; n < ids.length; n++) {
            if (n % CHECK_EVERY == 0) {
                checkDeadline();
            }
            double[] v = new double[times.length];
            Arrays.fill(v, Double.NaN);
            store.visit(ids[n], c.ring(), from, to, now, (start, count, sum, min, max, first, last) -> {
                int i = (int) ((start - from) / res);
                if (i >= 0 && i < v.length) {
                    v[i] = pick(count, sum, min, max, first, last);
                }
            });
            SeriesKey k = store.key(ids[n]);
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
        private static final int SUM_OP = 0;
        private static final int AVG_OP = 1;
        private static final int COUNT_OP = 2;
        private static final int MIN_OP = 3;
        private static final int MAX_OP = 4;

        private final int op;
        private final double[] value;
        private final double[] count;

        Acc(String op, int n) {
            this.op = switch (op) {
                case "sum" -> SUM_OP;
                case "avg" -> AVG_OP;
                case "count" -> COUNT_OP;
                case "min" -> MIN_OP;
                case "max" -> MAX_OP;
                default -> throw new QueryException("'" + op + "' is not one of sum, avg, min, max, count");
            };
            this.value = new double[n];
            this.count = new double[n];
            if (this.op == MIN_OP || this.op == MAX_OP) {
                Arrays.fill(value, Double.NaN);
            }
        }

        void add(int i, double x) {
            if (Double.isNaN(x)) {
                return;
            }
            switch (op) {
                case MIN_OP -> value[i] = Double.isNaN(value[i]) ? x : Math.min(value[i], x);
                case MAX_OP -> value[i] = Double.isNaN(value[i]) ? x : Math.max(value[i], x);
                default -> value[i] += x;
            }
            count[i]++;
        }

        double[] result() {
            double[] o = new double[value.length];
            for (int i = 0; i < o.length; i++) {
                double n = count[i];
                o[i] = switch (op) {
                    case COUNT_OP -> n == 0 ? Double.NaN : n;
                    case AVG_OP -> n == 0 ? Double.NaN : value[i] / n;
                    case SUM_OP -> n == 0 ? Double.NaN : value[i];
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
     * A reduction straight over a selector, without a row per series: the series come from the
     * label index and the buckets of each are folded into their group as the store hands them over
     * (the common "avg by (rack) (temperature)"). Groups are found by the label values themselves
     * (one value: the string; several: a list of them), first in the group of the previous series.
     */
    private List<Matrix.Row> aggregateSelected(Expr.Aggregate a, Expr.Selector s, Context c) {
        long[] times = c.times();
        long from = times[0];
        long to = times[times.length - 1];
        long res = c.res();
        List<String> by = a.by();
        String[] byArr = by.toArray(new String[0]);
        Map<Object, Acc> groups = new HashMap<>();
        List<Object> order = new ArrayList<>();
        int[] ids = select(store, s);
        Acc[] current = new Acc[1];
        BucketVisitor fold = (start, count, sum, min, max, first, last) -> {
            int i = (int) ((start - from) / res);
            if (i >= 0 && i < times.length) {
                current[0].add(i, pick(count, sum, min, max, first, last));
            }
        };
        Object lastKey = null;
        Acc lastAcc = null;
        for (int n = 0; n < ids.length; n++) {
            if (n % CHECK_EVERY == 0) {
                checkDeadline();
            }
            SeriesKey k = store.key(ids[n]);
            Object gk = groupKey(k, byArr);
            Acc acc;
            if (lastAcc != null && Objects.equals(gk, lastKey)) {
                acc = lastAcc;
            } else {
                acc = groups.get(gk);
                if (acc == null) {
                    acc = new Acc(a.op(), times.length);
                    groups.put(gk, acc);
                    order.add(gk);
                }
                lastKey = gk;
                lastAcc = acc;
            }
            current[0] = acc;
            store.visit(ids[n], c.ring(), from, to, now, fold);
        }
        List<Matrix.Row> out = new ArrayList<>(groups.size());
        for (Object gk : order) {
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < byArr.length; i++) {
                Object v = byArr.length == 1 ? gk : ((List<?>) gk).get(i);
                if (v != null) {
                    labels.put(byArr[i], (String) v);
                }
            }
            out.add(new Matrix.Row(labels, groups.get(gk).result()));
        }
        return out;
    }

    /** The group of {@code k}: its value of the one label, or the list of its values of several. */
    private static Object groupKey(SeriesKey k, String[] by) {
        if (by.length == 1) {
            return k.label(by[0]);
        }
        List<String> gk = new ArrayList<>(by.length);
        for (String l : by) {
            gk.add(k.label(l));
        }
        return gk;
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
