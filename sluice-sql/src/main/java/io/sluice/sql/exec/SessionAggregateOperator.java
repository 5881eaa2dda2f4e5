package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.expr.Values;
import io.sluice.sql.plan.AggCall;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Session windows: per group, events closer than {@code gap} apart share one window
 * {@code [first, last + gap)}. An event that bridges two sessions merges them. A session closes
 * when the watermark reaches its end and emits one row, with event time {@code end - 1}; sessions
 * closing together are emitted by end, start, then key. An event that could only open a session
 * that has already ended, or that falls within {@code gap} of a session of its group that has
 * already been emitted, is late.
 *
 * <p>Cost: sessions wait in a queue ordered by end, so a watermark step touches only the sessions
 * that close (plus queue entries made stale by a session growing or merging). A group's state is
 * dropped once it has no open session and the watermark has passed the point where an event could
 * still reach its last closed session. Not thread-safe.
 */
public final class SessionAggregateOperator implements Operator {
    private final Evaluator[] keys;
    private final List<AggCall> calls;
    private final long gap;
    private final RowConsumer out;
    private final FlowStats stats;
    private final Map<Key, Group> groups = new HashMap<>();
    private final PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparingLong(Due::at));
    private long watermark = Long.MIN_VALUE;

    /** A group key, equal and hashed as SQL values ({@link Values#equal}). */
    private static final class Key {
        final Object[] values;
        private final int hash;

        Key(Object[] values) {
            this.values = values;
            int h = 1;
            for (Object v : values) {
                h = 31 * h + Values.hash(v);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.hash != hash) {
                return false;
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null ? k.values[i] != null : k.values[i] == null || !Values.equal(values[i], k.values[i])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        int compareTo(Key o) {
            for (int i = 0; i < values.length; i++) {
                int c = Values.compareNullsFirst(values[i], o.values[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }

    /** The open sessions of one group, and the bounds of its last emitted session. */
    private static final class Group {
        final Key key;
        final List<Session> open = new ArrayList<>(1);
        boolean hasClosed;
        long closedFirst;
        long closedLast;
        long forgetAt;

        Group(Key key) {
            this.key = key;
        }
    }

    private static final class Session {
        final Group group;
        final GroupState state;
        long first;
        long last;
        boolean done;

        Session(Group group, long time, GroupState state) {
            this.group = group;
            this.first = time;
            this.last = time;
            this.state = state;
        }
    }

    /**
     * A queue entry: {@code session} closes at {@code at} (stale if the session has grown, merged or
     * closed since), or, with no session, {@code group}'s closed-session bounds may be forgotten.
     */
    private record Due(long at, Group group, Session session) {
    }

    public SessionAggregateOperator(List<Evaluator> keys, List<AggCall> calls, long gap, RowConsumer out,
            FlowStats stats) {
        this.keys = keys.toArray(new Evaluator[0]);
        this.calls = List.copyOf(calls);
        this.gap = gap;
        this.out = out;
        this.stats = stats;
    }

    @Override
    public void add(int port, Object[] row, long time) {
        Object[] kv = new Object[keys.length];
        for (int i = 0; i < kv.length; i++) {
            kv[i] = keys[i].eval(row, time);
        }
        Key key = new Key(kv);
        Group g = groups.get(key);
        if (g == null) {
            g = new Group(key);
            groups.put(key, g);
        }
        if (g.hasClosed && time > g.closedFirst - gap && time < g.closedLast + gap) {
            // it belongs to a session already emitted (whatever open session it may also touch)
            stats.late(time, watermark);
            return;
        }
        List<Session> list = g.open;
        Session into = null;
        long oldEnd = Long.MIN_VALUE;
        for (int i = 0; i < list.size(); i++) {
            Session s = list.get(i);
            if (time > s.first - gap && time < s.last + gap) {
                if (into == null) {
                    into = s;
                    oldEnd = s.last + gap;
                } else {
                    into.state.mergeAll(s.state);
                    into.first = Math.min(into.first, s.first);
                    into.last = Math.max(into.last, s.last);
                    s.done = true;
                    list.remove(i--);
                }
            }
        }
        if (into == null) {
            if (time + gap <= watermark) {
                stats.late(time, watermark);
                if (list.isEmpty() && !g.hasClosed) {
                    groups.remove(key);
                }
                return;
            }
            into = new Session(g, time, new GroupState(keys, calls));
            list.add(into);
        }
        into.first = Math.min(into.first, time);
        into.last = Math.max(into.last, time);
        into.state.add(row, time);
        long end = into.last + gap;
        if (end != oldEnd) {
            queue.add(new Due(end, g, into));
        }
    }

    @Override
    public void advance(long wm) {
        watermark = wm;
        Due d = queue.peek();
        if (d != null && d.at <= wm) {
            close(wm);
        }
    }

    /** The earliest first event of an open session. O(groups). */
    @Override
    public long heldFrom() {
        long h = Long.MAX_VALUE;
        for (Group g : groups.values()) {
            for (Session s : g.open) {
                h = Math.min(h, s.first);
            }
        }
        return h;
    }

    @Override
    public void finish() {
        close(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        groups.clear();
        queue.clear();
    }

    /** How many groups hold state (open sessions or the bounds of a recent closed one); for tests. */
    int groupCount() {
        return groups.size();
    }

    private void close(long limit) {
        List<Session> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().at <= limit) {
            Due d = queue.poll();
            Group g = d.group;
            Session s = d.session;
            if (s == null) {
                if (g.hasClosed && g.forgetAt == d.at) {
                    g.hasClosed = false;
                    if (g.open.isEmpty()) {
                        groups.remove(g.key);
                    }
                }
                continue;
            }
            if (s.done || s.last + gap != d.at) {
                continue; // stale: the session grew, merged into another or closed
            }
            s.done = true;
            g.open.remove(s);
            due.add(s);
            if (limit != Long.MAX_VALUE) {
                // Until the watermark passes last + 2 * gap an event could still fall within gap of
                // this session: remember its bounds so that such an event is counted late.
                g.hasClosed = true;
                g.closedFirst = s.first;
                g.closedLast = s.last;
                g.forgetAt = s.last + 2 * gap;
                queue.add(new Due(g.forgetAt, g, null));
            } else if (g.open.isEmpty()) {
                groups.remove(g.key);
            }
        }
        if (due.size() > 1) {
            due.sort(Comparator.<Session>comparingLong(s -> s.last + gap).thenComparingLong(s -> s.first)
                    .thenComparing((a, b) -> a.group.key.compareTo(b.group.key)));
        }
        for (Session s : due) {
            long end = s.last + gap;
            out.accept(s.state.row(0, s.first, end), end - 1);
        }
    }

    @Override
    public String toString() {
        return "SessionAggregate[gap " + gap + " ms, keys " + Arrays.toString(keys) + "]";
    }
}
