package io.sluice.sql.exec;

import io.sluice.sql.SqlType;
import io.sluice.sql.expr.ArithmeticErrors;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.expr.Values;
import io.sluice.sql.function.AggregateFunction;
import io.sluice.sql.plan.AggCall;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/** Makes the compact {@link Accumulator} for each aggregate kind and argument type. Thread-safe. */
public final class Accumulators {
    private Accumulators() {
    }

    public static Accumulator create(AggCall call) {
        Evaluator arg = call.arg();
        SqlType at = arg == null ? null : arg.type();
        switch (call.kind()) {
            case COUNT_STAR: return new Count(null);
            case COUNT: return new Count(arg);
            case COUNT_DISTINCT: return new CountDistinct(arg);
            case SUM:
                if (at.isIntegral() || at.kind() == SqlType.Kind.NULL) {
                    return new SumLong(arg);
                }
                if (at.kind() == SqlType.Kind.PRECISE) {
                    return new SumDecimal(arg);
                }
                return new SumDouble(arg);
            case AVG: return new Avg(arg);
            case MIN:
            case MAX: {
                boolean max = call.kind() == AggCall.Kind.MAX;
                if (at.isIntegral() || at.kind() == SqlType.Kind.TIMESTAMP) {
                    return new MinMaxLong(arg, max, at.kind() == SqlType.Kind.INT);
                }
                if (at.kind() == SqlType.Kind.DOUBLE) {
                    return new MinMaxDouble(arg, max);
                }
                return new MinMaxObject(arg, max);
            }
            case FIRST: return new FirstLast(arg, true);
            case LAST: return new FirstLast(arg, false);
            default: return new User(call.args(), call.user());
        }
    }

    static final class Count extends Accumulator {
        private final boolean star;
        private long[] n = new long[0];

        Count(Evaluator arg) {
            super(arg);
            this.star = arg == null;
        }

        @Override
        protected void grow(int c) {
            n = Arrays.copyOf(n, c);
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            if (star || arg(row, time) != null) {
                n[slot]++;
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            n[slot] += ((Count) other).n[from];
        }

        @Override
        public Object result(int slot) {
            return n[slot];
        }

        @Override
        public void clear(int slot) {
            n[slot] = 0;
        }
    }

    static final class CountDistinct extends Accumulator {
        private HashSet<Object>[] sets = newSets(0);

        CountDistinct(Evaluator arg) {
            super(arg);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static HashSet<Object>[] newSets(int n) {
            return new HashSet[n];
        }

        @Override
        protected void grow(int c) {
            sets = Arrays.copyOf(sets, c);
        }

        private HashSet<Object> set(int slot) {
            HashSet<Object> s = sets[slot];
            if (s == null) {
                s = new HashSet<>();
                sets[slot] = s;
            }
            return s;
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object v = arg(row, time);
            if (v != null) {
                set(slot).add(Values.hashKey(v));
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            HashSet<Object> o = ((CountDistinct) other).sets[from];
            if (o != null) {
                set(slot).addAll(o);
            }
        }

        @Override
        public Object result(int slot) {
            return sets[slot] == null ? 0L : (long) sets[slot].size();
        }

        @Override
        public void clear(int slot) {
            sets[slot] = null;
        }
    }

    /** Base of the primitive accumulators: whether slot has had a non-NULL value yet (else its result is NULL). */
    abstract static class Seen extends Accumulator {
        protected boolean[] seen = new boolean[0];

        Seen(Evaluator arg) {
            super(arg);
        }

        /** Subclasses grow their own arrays too, after calling this. */
        @Override
        protected void grow(int c) {
            seen = Arrays.copyOf(seen, c);
        }

        @Override
        public void clear(int slot) {
            seen[slot] = false;
        }
    }

    /**
     * SUM of integers as BIGINT. A sum that leaves BIGINT's range is NULL for its group and window,
     * and the overflow is reported to {@link ArithmeticErrors} once: a wrapped number is never
     * emitted.
     */
    static final class SumLong extends Seen {
        private long[] sum = new long[0];
        private boolean[] overflow = new boolean[0];

        SumLong(Evaluator arg) {
            super(arg);
        }

        @Override
        protected void grow(int c) {
            super.grow(c);
            sum = Arrays.copyOf(sum, c);
            overflow = Arrays.copyOf(overflow, c);
        }

        private void addTo(int slot, long x) {
            if (overflow[slot]) {
                return;
            }
            long r = sum[slot] + x;
            if (((sum[slot] ^ r) & (x ^ r)) < 0) {
                overflow[slot] = true;
                ArithmeticErrors.report("BIGINT overflow", "SUM");
            } else {
                sum[slot] = r;
            }
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object v = arg(row, time);
            if (v != null) {
                addTo(slot, ((Number) v).longValue());
                seen[slot] = true;
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            SumLong o = (SumLong) other;
            if (o.seen[from]) {
                if (o.overflow[from]) {
                    overflow[slot] = true; // reported when it happened
                } else {
                    addTo(slot, o.sum[from]);
                }
                seen[slot] = true;
            }
        }

        @Override
        public Object result(int slot) {
            return seen[slot] && !overflow[slot] ? (Object) sum[slot] : null;
        }

        @Override
        public void clear(int slot) {
            super.clear(slot);
            sum[slot] = 0;
            overflow[slot] = false;
        }
    }

    static final class SumDouble extends Seen {
        private double[] sum = new double[0];

        SumDouble(Evaluator arg) {
            super(arg);
        }

        @Override
        protected void grow(int c) {
            super.grow(c);
            sum = Arrays.copyOf(sum, c);
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object v = arg(row, time);
            if (v != null) {
                sum[slot] += ((Number) v).doubleValue();
                seen[slot] = true;
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            SumDouble o = (SumDouble) other;
            if (o.seen[from]) {
                sum[slot] += o.sum[from];
                seen[slot] = true;
            }
        }

        @Override
        public Object result(int slot) {
            return seen[slot] ? (Object) sum[slot] : null;
        }

        @Override
        public void clear(int slot) {
            super.clear(slot);
            sum[slot] = 0;
        }
    }

    static final class SumDecimal extends Accumulator {
        private BigDecimal[] sum = new BigDecimal[0];

        SumDecimal(Evaluator arg) {
            super(arg);
        }

        @Override
        protected void grow(int c) {
            sum = Arrays.copyOf(sum, c);
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object v = arg(row, time);
            if (v != null) {
                sum[slot] = sum[slot] == null ? (BigDecimal) v : sum[slot].add((BigDecimal) v);
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            BigDecimal o = ((SumDecimal) other).sum[from];
            if (o != null) {
                sum[slot] = sum[slot] == null ? o : sum[slot].add(o);
            }
        }

        @Override
        public Object result(int slot) {
            return sum[slot];
        }

        @Override
        public void clear(int slot) {
            sum[slot] = null;
        }
    }

    static final class Avg extends Accumulator {
        private double[] sum = new double[0];
        private long[] n = new long[0];

        Avg(Evaluator arg) {
            super(arg);
        }

        @Override
        protected void grow(int c) {
            sum = Arrays.copyOf(sum, c);
            n = Arrays.copyOf(n, c);
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object v = arg(row, time);
            if (v != null) {
                sum[slot] += ((Number) v).doubleValue();
                n[slot]++;
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            Avg o = (Avg) other;
            sum[slot] += o.sum[from];
            n[slot] += o.n[from];
        }

        @Override
        public Object result(int slot) {
            return n[slot] == 0 ? null : (Object) (sum[slot] / n[slot]);
        }

        @Override
        public void clear(int slot) {
            sum[slot] = 0;
            n[slot] = 0;
        }
    }

    static final class MinMaxLong extends Seen {
        private final boolean max;
        private final boolean asInt;
        private long[] v = new long[0];

        MinMaxLong(Evaluator arg, boolean max, boolean asInt) {
            super(arg);
            this.max = max;
            this.asInt = asInt;
        }

        @Override
        protected void grow(int c) {
            super.grow(c);
            v = Arrays.copyOf(v, c);
        }

        private void put(int slot, long x) {
            if (!seen[slot]) {
                v[slot] = x;
                seen[slot] = true;
            } else if (max ? x > v[slot] : x < v[slot]) {
                v[slot] = x;
            }
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object o = arg(row, time);
            if (o != null) {
                put(slot, ((Number) o).longValue());
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            MinMaxLong o = (MinMaxLong) other;
            if (o.seen[from]) {
                put(slot, o.v[from]);
            }
        }

        @Override
        public Object result(int slot) {
            if (!seen[slot]) {
                return null;
            }
            return asInt ? (Object) (int) v[slot] : (Object) v[slot];
        }
    }

    /** SQL order of doubles: {@code -0.0} equals {@code 0.0}; NaN is above every other value. */
    static int sqlCompare(double x, double y) {
        return x == y ? 0 : Double.compare(x, y);
    }

    static final class MinMaxDouble extends Seen {
        private final boolean max;
        private double[] v = new double[0];

        MinMaxDouble(Evaluator arg, boolean max) {
            super(arg);
            this.max = max;
        }

        @Override
        protected void grow(int c) {
            super.grow(c);
            v = Arrays.copyOf(v, c);
        }

        private void put(int slot, double x) {
            if (!seen[slot]) {
                v[slot] = x;
                seen[slot] = true;
            } else if (max ? sqlCompare(x, v[slot]) > 0 : sqlCompare(x, v[slot]) < 0) {
                v[slot] = x;
            }
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object o = arg(row, time);
            if (o != null) {
                put(slot, ((Number) o).doubleValue());
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            MinMaxDouble o = (MinMaxDouble) other;
            if (o.seen[from]) {
                put(slot, o.v[from]);
            }
        }

        @Override
        public Object result(int slot) {
            return seen[slot] ? (Object) v[slot] : null;
        }
    }

    static final class MinMaxObject extends Accumulator {
        private final boolean max;
        private Object[] v = new Object[0];

        MinMaxObject(Evaluator arg, boolean max) {
            super(arg);
            this.max = max;
        }

        @Override
        protected void grow(int c) {
            v = Arrays.copyOf(v, c);
        }

        private void put(int slot, Object x) {
            Object cur = v[slot];
            if (cur == null || (max ? Values.compare(x, cur) > 0 : Values.compare(x, cur) < 0)) {
                v[slot] = x;
            }
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object o = arg(row, time);
            if (o != null) {
                put(slot, o);
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            Object o = ((MinMaxObject) other).v[from];
            if (o != null) {
                put(slot, o);
            }
        }

        @Override
        public Object result(int slot) {
            return v[slot];
        }

        @Override
        public void clear(int slot) {
            v[slot] = null;
        }
    }

    /** FIRST and LAST by event time; ties go to the earlier (FIRST) or later (LAST) arrival. */
    static final class FirstLast extends Accumulator {
        private final boolean first;
        private Object[] v = new Object[0];
        private long[] t = new long[0];

        FirstLast(Evaluator arg, boolean first) {
            super(arg);
            this.first = first;
        }

        @Override
        protected void grow(int c) {
            v = Arrays.copyOf(v, c);
            t = Arrays.copyOf(t, c);
        }

        private void put(int slot, Object x, long time) {
            if (v[slot] == null || (first ? time < t[slot] : time >= t[slot])) {
                v[slot] = x;
                t[slot] = time;
            }
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object o = arg(row, time);
            if (o != null) {
                put(slot, o, time);
            }
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            FirstLast o = (FirstLast) other;
            if (o.v[from] != null) {
                put(slot, o.v[from], o.t[from]);
            }
        }

        @Override
        public Object result(int slot) {
            return v[slot];
        }

        @Override
        public void clear(int slot) {
            v[slot] = null;
        }
    }

    static final class User extends Accumulator {
        private final Evaluator[] args;
        private final AggregateFunction fn;
        private AggregateFunction.Accumulator[] accs = new AggregateFunction.Accumulator[0];

        User(List<Evaluator> args, AggregateFunction fn) {
            super(null);
            this.args = args.toArray(new Evaluator[0]);
            this.fn = fn;
        }

        @Override
        protected void grow(int c) {
            accs = Arrays.copyOf(accs, c);
        }

        private AggregateFunction.Accumulator acc(int slot) {
            if (accs[slot] == null) {
                accs[slot] = fn.newAccumulator();
            }
            return accs[slot];
        }

        @Override
        public void add(int slot, Object[] row, long time) {
            Object[] a = new Object[args.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = args[i].eval(row, time);
            }
            acc(slot).add(a);
        }

        @Override
        public void merge(int slot, Accumulator other, int from) {
            AggregateFunction.Accumulator o = ((User) other).accs[from];
            if (o != null) {
                acc(slot).merge(o);
            }
        }

        @Override
        public Object result(int slot) {
            return acc(slot).result();
        }

        @Override
        public void clear(int slot) {
            accs[slot] = null;
        }
    }
}
