package io.sluice.metrics.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The embedded multi-resolution store: per series, one ring of buckets per configured resolution
 * (Artimon's default: 60 x 1 m, 48 x 5 m, 96 x 15 m, 72 x 1 h), each bucket keeping count, sum,
 * min, max, first and last in the compact layout of {@link CompactRing}. The number of series is
 * bounded by {@code maxSeries}: a sample of a new series beyond it is refused and counted.
 *
 * <p>Thread-safe: series are found in a concurrent map and each series guards itself, so one
 * writer and any number of readers work at once.
 */
public final class MetricsStore {
    private final List<RingSpec> specs;
    private final int maxSeries;
    private final ConcurrentHashMap<SeriesKey, Series> series = new ConcurrentHashMap<>();
    private final Interner interner = new Interner();
    private final LabelIndex index = new LabelIndex();
    private final Slabs slabs;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejectedType = new LongAdder();
    private final LongAdder rejectedLate = new LongAdder();
    private final LongAdder rejectedValue = new LongAdder();
    private final LongAdder rejectedFull = new LongAdder();
    private final CopyOnWriteArrayList<SampleListener> listeners = new CopyOnWriteArrayList<>();

    public MetricsStore(List<RingSpec> specs, int maxSeries) {
        this.specs = List.copyOf(requireNonNull(specs, "specs is null"));
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("specs: empty (expected: at least one ring)");
        }
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries: " + maxSeries + " (expected: > 0)");
        }
        this.maxSeries = maxSeries;
        this.slabs = new Slabs(this.specs, maxSeries);
    }

    public List<RingSpec> specs() {
        return specs;
    }

    /**
     * Adds one numeric sample (integer, double or boolean as 0/1). NaN and infinite values are
     * refused (Prometheus' staleness markers are NaN) and counted; so are samples older than the
     * coarsest ring holds, and samples whose type cannot join their series.
     *
     * @return whether the sample was stored
     */
    public boolean add(SeriesKey key, ValueType type, long timeMillis, double value) {
        if (type == ValueType.STRING) {
            throw new IllegalArgumentException("type: STRING (expected: addString for string values)");
        }
        if (!Double.isFinite(value)) {
            rejectedValue.increment();
            return false;
        }
        return store(key, type, timeMillis, value, null);
    }

    /** Adds one string sample: its bucket counts it and the series keeps the latest value. */
    public boolean addString(SeriesKey key, long timeMillis, String value) {
        return store(key, ValueType.STRING, timeMillis, 0, requireNonNull(value, "value is null"));
    }

    private boolean store(SeriesKey key, ValueType type, long timeMillis, double value, String text) {
        Series s = series.get(key);
        if (s == null) {
            if (series.size() >= maxSeries) {
                rejectedFull.increment();
                return false;
            }
            s = create(key, type);
        }
        if (!s.add(specs, timeMillis, type, value, text)) {
            if (s.type().numeric() != type.numeric()) {
                rejectedType.increment();
            } else {
                rejectedLate.increment();
            }
            return false;
        }
        accepted.increment();
        if (!listeners.isEmpty()) {
            for (SampleListener l : listeners) {
                l.stored(key, type, timeMillis, value, text);
            }
        }
        return true;
    }

    /**
     * Tells {@code listener} of every sample stored from now on, until the returned handle is
     * closed. The listener is called on the writer's thread after the sample is stored: it must not
     * block (hand the sample to a bounded queue).
     */
    public AutoCloseable subscribe(SampleListener listener) {
        requireNonNull(listener, "listener is null");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }


    /** Creates and indexes the series of {@code key}, or returns the one another thread just created. */
    private Series create(SeriesKey key, ValueType type) {
        synchronized (index) {
            Series s = series.get(key);
            if (s == null) {
                s = new Series(key.interned(interner), type, slabs);
                series.put(s.key(), s);
                index.add(s);
            }
            return s;
        }
    }

    /** The series matching {@code filter}, in the order they were created. Reads every key. */
    public List<SeriesKey> find(Predicate<SeriesKey> filter) {
        List<SeriesKey> out = new ArrayList<>();
        int n = index.count();
        for (int i = 0; i < n; i++) {
            SeriesKey k = index.get(i).key();
            if (filter.test(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * The ids, ascending, of the series carrying every label pair of {@code pairs} (label names and
     * values alternating; {@code __name__} stands for the name), found in the label index without
     * reading other series; every series when {@code pairs} is empty. An id stays valid for the
     * store's life: read it with {@link #key(int)} and {@link #visit(int, int, long, long, long, BucketVisitor)}.
     */
    public int[] lookup(List<String> pairs) {
        if (pairs.size() % 2 != 0) {
            throw new IllegalArgumentException("pairs: " + pairs.size() + " strings (expected: an even number)");
        }
        return index.lookup(pairs);
    }

    /**
     * The ids, ascending, of the series whose label {@code label} ({@code __name__} for the name)
     * is present with a value {@code accept} takes. {@code accept} is asked once per distinct value
     * of the label (how a regular expression matcher is answered without reading every series).
     */
    public int[] lookupMatching(String label, Predicate<String> accept) {
        return index.matching(requireNonNull(label, "label is null"), requireNonNull(accept, "accept is null"));
    }

    /** The ids, ascending, of the series whose label {@code label} has one of {@code values}. */
    public int[] lookupAnyOf(String label, Collection<String> values) {
        return index.withAnyOf(requireNonNull(label, "label is null"), requireNonNull(values, "values is null"));
    }

    /**
     * How many series are numbered; every id below it is fully indexed, so lists looked up after
     * reading it agree on those ids even while other series are being created.
     */
    public int indexedCount() {
        return index.count();
    }

    /** The ids in both ascending arrays. */
    public static int[] intersect(int[] a, int[] b) {
        return LabelIndex.intersect(a, b);
    }

    /** The ids of the ascending array {@code from} that are not in the ascending array {@code minus}. */
    public static int[] subtract(int[] from, int[] minus) {
        return LabelIndex.subtract(from, minus);
    }

    /** The key of the series with id {@code id} (from {@link #lookup}). */
    public SeriesKey key(int id) {
        return index.get(id).key();
    }

    /**
     * Hands the non-empty buckets of series {@code id} in ring {@code ring} starting in
     * {@code [from, to]} to {@code visitor}, oldest first, after rolling the series forward to
     * {@code now}; allocates no bucket objects (the reading path of queries).
     */
    public void visit(int id, int ring, long from, long to, long now, BucketVisitor visitor) {
        index.get(id).rollAndVisit(specs, now, ring, from, to, visitor);
    }

    public int seriesCount() {
        return series.size();
    }

    /** The value type of a series, or {@code null} when it is not stored. */
    public ValueType type(SeriesKey key) {
        Series s = series.get(key);
        return s == null ? null : s.type();
    }

    /** The latest value of a string series, or {@code null}. */
    public String lastString(SeriesKey key) {
        Series s = series.get(key);
        return s == null ? null : s.lastString();
    }

    /**
     * The index of the finest ring that still holds {@code from} when the newest data is at
     * {@code now}; the coarsest ring when none does.
     */
    public int ringFor(long from, long now) {
        for (int i = 0; i < specs.size(); i++) {
            RingSpec r = specs.get(i);
            long oldestHeld = (Math.floorDiv(now, r.resolutionMillis()) - r.buckets() + 1) * r.resolutionMillis();
            if (from >= oldestHeld) {
                return i;
            }
        }
        return specs.size() - 1;
    }

    /**
     * The non-empty buckets of {@code key} in ring {@code ring} starting in {@code [from, to]},
     * oldest first; the series is first rolled forward to {@code now}.
     */
    public List<Bucket> read(SeriesKey key, int ring, long from, long to, long now) {
        Series s = series.get(key);
        if (s == null) {
            return List.of();
        }
        s.roll(specs, now);
        return s.read(specs, ring, from, to);
    }

    Collection<Series> allSeries() {
        return series.values();
    }

    /** Puts a restored series back; used by {@link SnapshotFile}. */
    Series restoreSeries(SeriesKey key, ValueType type) {
        synchronized (index) {
            Series old = series.get(key);
            Series s = new Series(old == null ? key.interned(interner) : old.key(), type, slabs);
            series.put(s.key(), s);
            if (old == null) {
                index.add(s);
            } else {
                index.replace(old, s); // a series met twice: the last record counts, as it always did
            }
            return s;
        }
    }

    public long acceptedCount() {
        return accepted.sum();
    }

    /** Samples refused because their type could not join their series (string vs number). */
    public long rejectedTypeCount() {
        return rejectedType.sum();
    }

    /** Samples refused because they were older than every ring holds. */
    public long rejectedLateCount() {
        return rejectedLate.sum();
    }

    /** Samples refused because their value was NaN or infinite. */
    public long rejectedValueCount() {
        return rejectedValue.sum();
    }

    /** Samples of new series refused because the store already held {@code maxSeries} series. */
    public long rejectedFullCount() {
        return rejectedFull.sum();
    }
}
