package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.AggCall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Session windows: per group, events closer than {@code gap} apart share one window
 * {@code [first, last + gap)}. An event that bridges two sessions merges them. A session closes
 * when the watermark reaches its end and emits one row, with event time {@code end - 1}; sessions
 * closing together are emitted by end, start, then key. An event that could only open a session
 * that has already ended is late. Not thread-safe.
 */
public final class SessionAggregateOperator implements Operator {
    private final Evaluator[] keys;
    private final List<AggCall> calls;
    private final long gap;
    private final RowConsumer out;
    private final FlowStats stats;
    private final GroupTable groups;
    private final List<List<Session>> sessions = new ArrayList<>();
    private long minEnd = Long.MAX_VALUE;
    private long watermark = Long.MIN_VALUE;

    private static final class Session {
        long first;
        long last;
        final GroupState state;
        final int group;

        Session(long time, GroupState state, int group) {
            this.first = time;
            this.last = time;
            this.state = state;
            this.group = group;
        }
    }

    public SessionAggregateOperator(List<Evaluator> keys, List<AggCall> calls, long gap, RowConsumer out,
            FlowStats stats) {
        this.keys = keys.toArray(new Evaluator[0]);
        this.calls = List.copyOf(calls);
        this.gap = gap;
        this.out = out;
        this.stats = stats;
        this.groups = new GroupTable(this.keys);
    }

    @Override
    public void add(int port, Object[] row, long time) {
        int g = groups.slotOf(row, time);
        while (sessions.size() <= g) {
            sessions.add(new ArrayList<>(1));
        }
        List<Session> list = sessions.get(g);
        Session into = null;
        for (int i = 0; i < list.size(); i++) {
            Session s = list.get(i);
            if (time > s.first - gap && time < s.last + gap) {
                if (into == null) {
                    into = s;
                } else {
                    into.state.mergeAll(s.state);
                    into.first = Math.min(into.first, s.first);
                    into.last = Math.max(into.last, s.last);
                    list.remove(i--);
                }
            }
        }
        if (into == null) {
            if (time + gap <= watermark) {
                stats.late(time, watermark);
                return;
            }
            into = new Session(time, new GroupState(keys, calls), g);
            list.add(into);
        }
        into.first = Math.min(into.first, time);
        into.last = Math.max(into.last, time);
        into.state.add(row, time);
        minEnd = Math.min(minEnd, into.last + gap);
    }

    @Override
    public void advance(long wm) {
        watermark = wm;
        if (wm >= minEnd) {
            close(wm);
        }
    }

    @Override
    public void finish() {
        close(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        sessions.clear();
    }

    private void close(long limit) {
        List<Session> due = new ArrayList<>();
        long nextMin = Long.MAX_VALUE;
        for (List<Session> list : sessions) {
            for (int i = 0; i < list.size(); i++) {
                Session s = list.get(i);
                long end = s.last + gap;
                if (limit == Long.MAX_VALUE || end <= limit) {
                    due.add(s);
                    list.remove(i--);
                } else {
                    nextMin = Math.min(nextMin, end);
                }
            }
        }
        minEnd = nextMin;
        due.sort(Comparator.<Session>comparingLong(s -> s.last + gap).thenComparingLong(s -> s.first)
                .thenComparing((a, b) -> groups.compareKeys(a.group, b.group)));
        for (Session s : due) {
            long end = s.last + gap;
            out.accept(s.state.row(0, s.first, end), end - 1);
        }
    }
}
