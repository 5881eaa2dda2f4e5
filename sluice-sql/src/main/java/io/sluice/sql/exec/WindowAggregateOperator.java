package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.AggCall;
import io.sluice.sql.plan.WindowDef;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tumbling and hopping windowed aggregation over panes. Time is cut into epoch-aligned panes of
 * {@code gcd(size, advance)}; each row updates the accumulators of its group in its one pane
 * (O(1), so tumbling MIN and MAX cost O(1) per row). When the watermark reaches a window's end, the
 * window's panes are merged (a tumbling window is exactly one pane, so nothing is merged) and one
 * row per group is emitted, in key order, with event time {@code end - 1}. Panes no open window
 * needs are dropped. A window closes when the watermark reaches its end, whether it has data or
 * not. A row whose every window has closed is late: counted, not added. A row some of whose
 * (hopping) windows have closed is counted late once and added to the windows still open.
 *
 * <p>Output rows: WINDOW_START, WINDOW_END, the keys, the aggregates. Not thread-safe.
 */
public final class WindowAggregateOperator implements Operator {
    private final Evaluator[] keys;
    private final List<AggCall> calls;
    private final long size;
    private final long advance;
    private final long pane;
    private final boolean tumbling;
    private final RowConsumer out;
    private final FlowStats stats;
    private final TreeMap<Long, GroupState> panes = new TreeMap<>();
    private long cachedStart = Long.MIN_VALUE;
    private GroupState cached;
    /** Index of the first window not yet closed: windows k >= nextK are open. */
    private long nextK = Long.MIN_VALUE;
    /** {@code nextK * advance}: windows starting before it have been emitted. */
    private long openFrom = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    /** The end of the next window that has data and is not yet emitted; MAX_VALUE if none. */
    private long dueAt = Long.MAX_VALUE;

    public WindowAggregateOperator(List<Evaluator> keys, List<AggCall> calls, WindowDef window, RowConsumer out,
            FlowStats stats) {
        this.keys = keys.toArray(new Evaluator[0]);
        this.calls = List.copyOf(calls);
        this.size = window.size();
        this.advance = window.advance();
        this.pane = gcd(size, advance);
        this.tumbling = size == advance;
        this.out = out;
        this.stats = stats;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public void add(int port, Object[] row, long time) {
        GroupState p = cached;
        long ps = cachedStart;
        if (time < ps || time >= ps + pane || p == null) {
            ps = time - Math.floorMod(time, pane);
            p = null;
        }
        long lastStart = tumbling ? ps : time - Math.floorMod(time, advance);
        if (lastStart + size <= watermark || lastStart < openFrom) {
            stats.late(time, watermark); // every window holding this row has closed
            return;
        }
        if (!tumbling) {
            long firstK = Math.floorDiv(time - size, advance) + 1;
            if (firstK < nextK || firstK * advance + size <= watermark) {
                // Some of the row's windows have closed: it is counted late once, and goes only into
                // the windows still open (its pane is emitted only in windows k >= nextK).
                stats.late(time, watermark);
            }
        }
        if (p == null) {
            p = panes.get(ps);
            if (p == null) {
                p = new GroupState(keys, calls);
                panes.put(ps, p);
                dueAt = Math.min(dueAt, firstEnd(ps));
            }
            cachedStart = ps;
            cached = p;
        }
        p.add(row, time);
    }

    @Override
    public void advance(long wm) {
        watermark = wm;
        if (wm >= dueAt) {
            close(wm);
        } else {
            // No window with data is due, but windows without data may have closed: a row that
            // arrives for one of them later is late, and that window must never be emitted.
            long open = firstOpenAfter(wm);
            if (open > nextK) {
                nextK = open;
                openFrom = nextK * advance;
            }
        }
    }

    /** The index of the first not yet emitted window that holds the pane starting at {@code ps}. */
    private long firstWindow(long ps) {
        return Math.max(nextK, Math.floorDiv(ps - size, advance) + 1);
    }

    /** The end of the first not yet emitted window that holds the pane starting at {@code ps}. */
    private long firstEnd(long ps) {
        return firstWindow(ps) * advance + size;
    }

    /** The index of the first window whose end is after {@code limit}. */
    private long firstOpenAfter(long limit) {
        return Math.floorDiv(limit - size, advance) + 1;
    }

    /** Panes are aligned below the rows they hold: the first pane's start is at or before every held row. */
    @Override
    public long heldFrom() {
        return panes.isEmpty() ? Long.MAX_VALUE : panes.firstKey();
    }

    @Override
    public void finish() {
        close(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        dueAt = Long.MAX_VALUE;
        panes.clear();
        cached = null;
        cachedStart = Long.MIN_VALUE;
    }

    private void close(long limit) {
        while (!panes.isEmpty()) {
            long k = firstWindow(panes.firstKey());
            long start = k * advance;
            long end = start + size;
            if (end > limit) {
                break;
            }
            emit(start, end);
            nextK = k + 1;
            openFrom = nextK * advance;
            while (!panes.isEmpty() && panes.firstKey() < openFrom) {
                long first = panes.pollFirstEntry().getKey();
                if (first == cachedStart) {
                    cached = null;
                    cachedStart = Long.MIN_VALUE;
                }
            }
        }
        if (limit != Long.MAX_VALUE) {
            long open = firstOpenAfter(limit);
            if (open > nextK) {
                nextK = open;
                openFrom = nextK * advance;
            }
        }
        dueAt = panes.isEmpty() ? Long.MAX_VALUE : firstEnd(panes.firstKey());
    }

    private void emit(long start, long end) {
        GroupState w;
        if (tumbling) {
            w = panes.get(start);
            if (w == null) {
                return;
            }
        } else {
            Map<Long, GroupState> in = panes.subMap(start, true, end, false);
            if (in.isEmpty()) {
                return;
            }
            w = new GroupState(keys, calls);
            for (GroupState p : in.values()) {
                w.mergeAll(p);
            }
        }
        for (int slot : w.sortedSlots()) {
            out.accept(w.row(slot, start, end), end - 1);
        }
    }
}
