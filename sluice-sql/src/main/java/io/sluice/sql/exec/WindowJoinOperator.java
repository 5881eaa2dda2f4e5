package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.expr.Values;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * A windowed symmetric hash join. Port 0 is the left input, port 1 the right. Each side keeps its
 * rows indexed by key; a new row probes the other side's index and every pair with equal, non-NULL
 * keys, {@code l.time - preceding <= r.time <= l.time + following} and a TRUE residual condition is
 * emitted at once (so each pair is emitted once, when its later row arrives), with the later of the
 * two event times. Rows leave the index in bulk when the watermark passes the last time a partner
 * could still arrive (left: {@code l.time + following}, right: {@code r.time + preceding}); for a
 * LEFT join, a left row that never found a partner is then emitted with NULLs, with event time
 * {@code l.time + following}. A row behind the watermark is late: counted and dropped. Not
 * thread-safe.
 */
public final class WindowJoinOperator implements Operator {
    private final Evaluator[] leftKeys;
    private final Evaluator[] rightKeys;
    private final Evaluator residual;
    private final long preceding;
    private final long following;
    private final boolean leftOuter;
    private final int leftWidth;
    private final int rightWidth;
    private final RowConsumer out;
    private final FlowStats stats;
    private final Side left = new Side();
    private final Side right = new Side();
    private long watermark = Long.MIN_VALUE;

    /** One indexed row. */
    private static final class Entry {
        final Object[] row;
        final long time;
        final Object key;
        boolean matched;

        Entry(Object[] row, long time, Object key) {
            this.row = row;
            this.time = time;
            this.key = key;
        }
    }

    /** The rows of one side: by key, and in arrival order for expiry. */
    private static final class Side {
        final HashMap<Object, ArrayDeque<Entry>> index = new HashMap<>();
        final ArrayDeque<Entry> timeline = new ArrayDeque<>();

        void insert(Entry e) {
            ArrayDeque<Entry> b = index.get(e.key);
            if (b == null) {
                b = new ArrayDeque<>(4);
                index.put(e.key, b);
            }
            b.addLast(e);
            timeline.addLast(e);
        }

        void remove(Entry e) {
            ArrayDeque<Entry> b = index.get(e.key);
            if (b != null) {
                if (b.peekFirst() == e) {
                    b.pollFirst();
                } else {
                    b.remove(e);
                }
                if (b.isEmpty()) {
                    index.remove(e.key);
                }
            }
        }
    }

    public WindowJoinOperator(List<Evaluator> leftKeys, List<Evaluator> rightKeys, Evaluator residual, long preceding,
            long following, boolean leftOuter, int leftWidth, int rightWidth, RowConsumer out, FlowStats stats) {
        this.leftKeys = leftKeys.toArray(new Evaluator[0]);
        this.rightKeys = rightKeys.toArray(new Evaluator[0]);
        this.residual = residual;
        this.preceding = preceding;
        this.following = following;
        this.leftOuter = leftOuter;
        this.leftWidth = leftWidth;
        this.rightWidth = rightWidth;
        this.out = out;
        this.stats = stats;
    }

    private static Object key(Evaluator[] ks, Object[] row, long time) {
        if (ks.length == 1) {
            int c = ks[0].columnIndex();
            Object v = c >= 0 ? row[c] : ks[0].eval(row, time);
            return Values.hashKey(v);
        }
        Object[] k = new Object[ks.length];
        for (int i = 0; i < ks.length; i++) {
            Object v = Values.hashKey(ks[i].eval(row, time));
            if (v == null) {
                return null;
            }
            k[i] = v;
        }
        return Arrays.asList(k);
    }

    @Override
    public void add(int port, Object[] row, long time) {
        if (time < watermark) {
            stats.late(time, watermark);
            return;
        }
        boolean isLeft = port == 0;
        Object key = key(isLeft ? leftKeys : rightKeys, row, time);
        if (key == null) {
            if (isLeft && leftOuter) {
                emitUnmatched(row, time + following);
            }
            return;
        }
        Entry e = new Entry(row, time, key);
        if (isLeft) {
            ArrayDeque<Entry> b = right.index.get(key);
            if (b != null) {
                for (Entry r : b) {
                    if (r.time >= time - preceding && r.time <= time + following && pair(row, r.row, Math.max(time, r.time))) {
                        e.matched = true;
                    }
                }
            }
            left.insert(e);
        } else {
            ArrayDeque<Entry> b = left.index.get(key);
            if (b != null) {
                for (Entry l : b) {
                    if (time >= l.time - preceding && time <= l.time + following && pair(l.row, row, Math.max(time, l.time))) {
                        l.matched = true;
                    }
                }
            }
            right.insert(e);
        }
    }

    private boolean pair(Object[] l, Object[] r, long time) {
        Object[] joined = new Object[leftWidth + rightWidth];
        System.arraycopy(l, 0, joined, 0, leftWidth);
        System.arraycopy(r, 0, joined, leftWidth, rightWidth);
        if (residual != null && residual.eval(joined, time) != Boolean.TRUE) {
            return false;
        }
        out.accept(joined, time);
        return true;
    }

    private void emitUnmatched(Object[] l, long time) {
        Object[] joined = new Object[leftWidth + rightWidth];
        System.arraycopy(l, 0, joined, 0, leftWidth);
        out.accept(joined, time);
    }

    @Override
    public void advance(long wm) {
        watermark = wm;
        Entry e;
        while ((e = left.timeline.peekFirst()) != null && e.time + following < wm) {
            left.timeline.pollFirst();
            left.remove(e);
            if (leftOuter && !e.matched) {
                emitUnmatched(e.row, e.time + following);
            }
        }
        while ((e = right.timeline.peekFirst()) != null && e.time + preceding < wm) {
            right.timeline.pollFirst();
            right.remove(e);
        }
    }

    /** Rows are kept until the watermark passes them; the earliest kept row bounds what is held. O(rows). */
    @Override
    public long heldFrom() {
        long h = Long.MAX_VALUE;
        for (Entry e : left.timeline) {
            h = Math.min(h, e.time);
        }
        for (Entry e : right.timeline) {
            h = Math.min(h, e.time);
        }
        return h;
    }

    @Override
    public void finish() {
        if (leftOuter) {
            for (Entry e : left.timeline) {
                if (!e.matched) {
                    emitUnmatched(e.row, e.time + following);
                }
            }
        }
        close();
    }

    @Override
    public void close() {
        left.index.clear();
        left.timeline.clear();
        right.index.clear();
        right.timeline.clear();
    }
}
