package io.sluice.sql;

import io.sluice.api.Event;
import io.sluice.sql.expr.Values;
import io.sluice.sql.format.EventParser;
import io.sluice.sql.format.ParseException;
import io.sluice.sql.plan.EventTimes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * A stream fed from Java code, made by {@link RtsqlEngine#createInputStream}, or by the engine for a
 * NODE or SOURCE stream. Every flow reading the stream when a row is pushed receives it: parsed and
 * checked once, the same row (and the same batch array) handed to every flow, copied only for a
 * flow that also reads event headers. Each flow's work runs on the engine's flow pool, or on the
 * pushing thread when the engine has none (then a single pushing thread gives deterministic
 * results). When a flow's queue on the pool is full, the pusher waits ({@link FlowMailbox.Overflow#BLOCK},
 * Java inputs and SOURCE streams), or waits for a while and then the rows are dropped for that
 * flow and counted ({@link FlowMailbox.Overflow#WAIT_THEN_DROP}, NODE streams: the agent's tap drops
 * when its sender is slow, but a wedged flow must not stall every flow reading the tee). Rows pushed while no flow reads the stream are dropped. After {@link #end()} the flows
 * reading it close their windows and end, like at the end of a file.
 *
 * <p>Thread-safe; rows pushed from several threads are delivered one at a time per flow.
 */
public final class StreamInput {
    /** One flow input reading this stream. */
    record Subscriber(Flow flow, int slot, String[] headers) {
    }

    private final String name;
    private final List<Column> columns;
    private final EventParser parser;
    private final int timestampColumn;
    private final Clock clock;
    private final SqlType[] types;
    /** The Java class each column's values have (null for LIST and PRECISE, which are always checked). */
    private final Class<?>[] classes;
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final FlowMailbox.Overflow overflow;
    private volatile boolean ended;

    StreamInput(String name, List<Column> columns, EventParser parser, int timestampColumn, Clock clock,
            FlowMailbox.Overflow overflow) {
        this.name = requireNonNull(name, "name is null");
        this.overflow = requireNonNull(overflow, "overflow is null");
        this.columns = List.copyOf(columns);
        this.parser = parser;
        this.timestampColumn = timestampColumn;
        this.clock = clock;
        this.types = columns.stream().map(Column::type).toArray(SqlType[]::new);
        this.classes = new Class<?>[types.length];
        for (int i = 0; i < types.length; i++) {
            classes[i] = javaClass(types[i].kind());
        }
    }

    private static Class<?> javaClass(SqlType.Kind k) {
        switch (k) {
            case BOOLEAN: return Boolean.class;
            case INT: return Integer.class;
            case BIGINT: case TIMESTAMP: return Long.class;
            case FLOAT: return Float.class;
            case DOUBLE: return Double.class;
            case STRING: return String.class;
            case BINARY: return byte[].class;
            default: return null;
        }
    }

    public String name() {
        return name;
    }

    public List<Column> columns() {
        return columns;
    }

    public boolean isEnded() {
        return ended;
    }

    /**
     * Pushes one row: values in column order, of the Java classes {@link SqlType} lists (other
     * numbers, strings and {@link java.time.Instant}s are converted; what cannot be converted becomes
     * NULL). The array is not copied when no value needs converting: do not change it afterwards.
     */
    public void push(Object[] values, long eventTime) {
        requireNonNull(values, "values is null");
        if (values.length != types.length) {
            throw new IllegalArgumentException("stream '" + name + "' has " + types.length + " columns, got "
                    + values.length + " values");
        }
        if (ended) {
            throw new IllegalStateException("push() called on stream '" + name + "' after end()");
        }
        Object[] row = coerced(values);
        for (Subscriber s : subscribers) {
            s.flow.offer(s.slot, s.headers.length == 0 ? row : pad(row, s.headers.length), eventTime, overflow);
        }
    }

    /**
     * Pushes {@code count} rows at once ({@code rows[i]} with event time {@code times[i]}), taking
     * each reading flow's lock once per batch. Results are the same as pushing them one by one. The
     * arrays may be handed to the flows as they are: do not change them afterwards.
     */
    public void pushBatch(Object[][] rows, long[] times, int count) {
        requireNonNull(rows, "rows is null");
        requireNonNull(times, "times is null");
        if (count < 0 || count > rows.length || count > times.length) {
            throw new IllegalArgumentException("count: " + count + " (expected: 0.." + Math.min(rows.length, times.length) + ")");
        }
        if (ended) {
            throw new IllegalStateException("pushBatch() called on stream '" + name + "' after end()");
        }
        Object[][] checked = new Object[count][];
        for (int r = 0; r < count; r++) {
            Object[] values = rows[r];
            if (values.length != types.length) {
                throw new IllegalArgumentException("stream '" + name + "' has " + types.length + " columns, got "
                        + values.length + " values in row " + r);
            }
            checked[r] = coerced(values);
        }
        fanOut(checked, times, count, null);
    }

    /**
     * Hands one batch to every reading flow: the same arrays to each flow that reads no headers, a
     * padded copy (headers filled from {@code events} when given) to each flow that does.
     */
    private void fanOut(Object[][] rows, long[] times, int count, Event[] events) {
        if (count == 0) {
            return;
        }
        for (Subscriber s : subscribers) {
            if (s.headers.length == 0) {
                s.flow.offerBatch(s.slot, rows, times, count, overflow);
            } else {
                Object[][] padded = new Object[count][];
                for (int r = 0; r < count; r++) {
                    padded[r] = pad(rows[r], s.headers.length);
                    if (events != null) {
                        for (int i = 0; i < s.headers.length; i++) {
                            padded[r][rows[r].length + i] = events[r].header(s.headers[i]);
                        }
                    }
                }
                s.flow.offerBatch(s.slot, padded, times, count, overflow);
            }
        }
    }

    /**
     * {@code values} with each value of its column's Java class: the array itself when none needs
     * converting, else a converted copy.
     */
    private Object[] coerced(Object[] values) {
        Object[] row = values;
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v != null && v.getClass() != classes[i]) {
                Object c = Values.coerce(v, types[i]);
                if (c != v) {
                    if (row == values) {
                        row = values.clone();
                    }
                    row[i] = c;
                }
            }
        }
        return row;
    }

    /** Pushes a row given as a {@link Row}. */
    public void push(Row row) {
        Object[] v = new Object[row.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.value(i);
        }
        push(v, row.eventTime());
    }

    /**
     * Pushes an event, read through the stream's event format. Its event time is the
     * {@code timestamp.col} column, else its {@code timestamp} header, else the engine clock's time.
     * An event that does not parse, or whose {@code timestamp} header is not a number, is counted
     * and kept as rejected (with an excerpt of its body) by every flow reading the stream.
     */
    public void pushEvent(Event event) {
        deliverEvent(event, -1);
    }

    /**
     * Pushes an event of partition {@code partition} of a partitioned source: each reading flow
     * sends it to its copy for that partition (see {@link Flow}). Returns its event time, or
     * {@link Long#MIN_VALUE} if it was rejected.
     */
    long pushEvent(Event event, int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition: " + partition + " (expected: >= 0)");
        }
        return deliverEvent(event, partition);
    }

    /**
     * The progress of {@code partition} over every flow reading the stream (the least advanced);
     * with no flow reading, nothing read so far can be called emitted.
     */
    EventSourceProvider.Progress progress(int partition) {
        long held = Long.MAX_VALUE;
        long wm = Long.MAX_VALUE;
        boolean any = false;
        for (Subscriber s : subscribers) {
            EventSourceProvider.Progress p = s.flow.progress(partition);
            held = Math.min(held, p.heldFrom());
            wm = Math.min(wm, p.watermark());
            any = true;
        }
        return any ? new EventSourceProvider.Progress(held, wm) : EventSourceProvider.Progress.ALL_HELD;
    }

    /** Every reading flow starts {@code partition} afresh at watermark {@code wm}. */
    void resume(int partition, long wm) {
        for (Subscriber s : subscribers) {
            s.flow.resumePartition(partition, wm);
        }
    }

    /** Every reading flow forgets {@code partition}'s state without emitting it. */
    void revoke(int partition) {
        for (Subscriber s : subscribers) {
            s.flow.revokePartition(partition);
        }
    }

    private long deliverEvent(Event event, int partition) {
        requireNonNull(event, "event is null");
        if (ended) {
            throw new IllegalStateException("pushEvent() called on stream '" + name + "' after end()");
        }
        Object[] row = parse(event);
        if (row == null) {
            return Long.MIN_VALUE;
        }
        long time = eventTime(row, event, clock);
        for (Subscriber s : subscribers) {
            Flow target = s.flow;
            if (partition >= 0) {
                target = target.partition(partition);
                if (target == null) {
                    continue;
                }
            }
            Object[] r = row;
            if (s.headers.length > 0) {
                r = pad(row, s.headers.length);
                for (int i = 0; i < s.headers.length; i++) {
                    r[row.length + i] = event.header(s.headers[i]);
                }
            }
            target.offer(s.slot, r, time, overflow);
        }
        return EventTimes.inRange(time) ? time : Long.MIN_VALUE;
    }

    /**
     * Pushes events as one batch, each read like {@link #pushEvent}: every event is parsed once and
     * the batch is handed to each reading flow as one unit of work (rejected events are counted in
     * every flow, in their place among the rows).
     */
    public void pushEvents(List<Event> events) {
        requireNonNull(events, "events is null");
        if (ended) {
            throw new IllegalStateException("pushEvents() called on stream '" + name + "' after end()");
        }
        int n = events.size();
        Object[][] rows = new Object[n][];
        long[] times = new long[n];
        Event[] kept = new Event[n];
        int count = 0;
        for (Event e : events) {
            Object[] row = parse(requireNonNull(e, "event is null"));
            if (row == null) {
                // rows before the rejected one go first, so the flows see them in order
                fanOut(rows, times, count, kept);
                rows = new Object[n][];
                times = new long[n];
                kept = new Event[n];
                count = 0;
                continue;
            }
            rows[count] = row;
            times[count] = eventTime(row, e, clock);
            kept[count] = e;
            count++;
        }
        fanOut(rows, times, count, kept);
    }

    /** The event read through the stream's format, or null when it was rejected (counted in every flow). */
    private Object[] parse(Event event) {
        Object[] row;
        try {
            row = parser.parse(event.body());
        } catch (ParseException e) {
            reject(event, e.getMessage());
            return null;
        }
        String h = timestampColumn < 0 ? event.header("timestamp") : null;
        if (h != null && parseHeaderTime(h) == null) {
            reject(event, "the 'timestamp' header '" + excerpt(h) + "' is not milliseconds since the epoch; the event"
                    + " is rejected rather than given its arrival time");
            return null;
        }
        return row;
    }

    /** Ends the stream: flows reading it emit what remains and end. Idempotent. */
    public void end() {
        ended = true;
        for (Subscriber s : subscribers) {
            subscribers.remove(s);
            s.flow.offerEnd(s.slot);
        }
    }

    /** Ends the stream with a failure: every flow reading it fails with {@code cause}. Idempotent. */
    public void fail(Throwable cause) {
        ended = true;
        for (Subscriber s : subscribers) {
            subscribers.remove(s);
            s.flow.fail(cause);
        }
    }

    long eventTime(Object[] row, Event event, Clock c) {
        if (timestampColumn >= 0 && row[timestampColumn] != null) {
            return ((Number) row[timestampColumn]).longValue();
        }
        String h = event == null ? null : event.header("timestamp");
        Long t = h == null ? null : parseHeaderTime(h);
        return t != null ? t : c.millis();
    }

    private static Long parseHeaderTime(String h) {
        try {
            return Long.parseLong(h.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Counts and keeps a rejected event (an excerpt of its body) in every flow reading the stream. */
    private void reject(Event event, String reason) {
        String raw = excerpt(new String(event.body(), 0, Math.min(event.body().length, 4 * TextRecordReader.EXCERPT_CHARS),
                StandardCharsets.UTF_8));
        for (Subscriber s : subscribers) {
            s.flow.offerReject(s.slot, raw, reason, overflow);
        }
    }

    private static String excerpt(String s) {
        int max = TextRecordReader.EXCERPT_CHARS;
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    void subscribe(Subscriber s) {
        subscribers.add(s);
        if (ended && subscribers.remove(s)) {
            s.flow.offerEnd(s.slot);
        }
    }

    void unsubscribe(Flow flow) {
        subscribers.removeIf(s -> s.flow == flow);
    }

    static Object[] pad(Object[] row, int extra) {
        Object[] r = new Object[row.length + extra];
        System.arraycopy(row, 0, r, 0, row.length);
        return r;
    }
}
