package io.sluice.bench.sql;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.EventSender;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompiler;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The Esper 9.0.0 side: compiles the scenario's EPL, deploys it into a fresh runtime with the
 * internal timer off, advances Esper's clock to each event's time as the events go (so Esper's time
 * windows follow event time, as Sluice's do), sends every event of the workload on the calling
 * thread and counts the output rows. Not thread-safe.
 */
final class EsperSide {
    /**
     * Esper's fastest form of a tumbling window that we found: a context of non-overlapping 1-second
     * partitions, aggregating without a data window (so MIN and MAX need no removal) and output when
     * each partition ends. {@code #time_batch(1 sec)} with MIN/MAX measured about ten times slower.
     */
    static final String TUMBLING = "create context PerSecond start @now end after 1 sec;"
            + " @name('q') context PerSecond select key, count(*) as n, sum(value) as s, avg(value) as a,"
            + " min(value) as mn, max(value) as mx from BenchEvent group by key output snapshot when terminated";
    /**
     * Each arriving event joins the other side's events of the last 100 ms with the same key. Esper's
     * {@code #time(T)} keeps events younger than T; with millisecond event times, 101 msec keeps
     * those at most 100 ms old, the same pairs as Sluice's range with both ends included.
     */
    static final String JOIN = "@name('q') select l.key as k, l.value as lv, r.value as rv"
            + " from LeftEvent#time(101 msec) as l, RightEvent#time(101 msec) as r where l.key = r.key";
    /**
     * At the end of its input Sluice closes every window; Esper's clock is moved this far past the
     * last event so that its last context partition ends and is output too.
     */
    private static final long END_OF_INPUT_MILLIS = 1000;
    private static final AtomicInteger RUNTIMES = new AtomicInteger();

    private EsperSide() {
    }

    /** Runs {@code epl} over {@code w}; returns {events, output rows, nanos}. */
    static long[] run(String epl, Workload w, boolean join) throws Exception {
        return run(epl, w, join, null);
    }

    /** As {@link #run(String, Workload, boolean)}, handing each output row's values to {@code each}. */
    static long[] run(String epl, Workload w, boolean join, Consumer<List<Object>> each) throws Exception {
        Configuration config = new Configuration();
        config.getCommon().addEventType("BenchEvent", BenchEvent.class);
        config.getCommon().addEventType("LeftEvent", BenchEvent.Left.class);
        config.getCommon().addEventType("RightEvent", BenchEvent.Right.class);
        config.getRuntime().getThreading().setInternalTimerEnabled(false);
        EPCompiler compiler = EPCompilerProvider.getCompiler();
        EPCompiled compiled = compiler.compile(epl, new CompilerArguments(config));
        EPRuntime runtime = EPRuntimeProvider.getRuntime("sluice-bench-" + RUNTIMES.incrementAndGet(), config);
        try {
            runtime.getEventService().advanceTime(0);
            EPDeployment dep = runtime.getDeploymentService().deploy(compiled);
            EPStatement stmt = runtime.getDeploymentService().getStatement(dep.getDeploymentId(), "q");
            long[] rows = new long[1];
            String[] columns = stmt.getEventType().getPropertyNames();
            stmt.addListener((newEvents, oldEvents, s, rt) -> {
                if (newEvents != null) {
                    rows[0] += newEvents.length;
                    if (each != null) {
                        for (EventBean e : newEvents) {
                            List<Object> values = new ArrayList<>(columns.length);
                            for (String c : columns) {
                                values.add(e.get(c));
                            }
                            each.accept(values);
                        }
                    }
                }
            });
            EPEventService events = runtime.getEventService();
            BenchEvent[] ev = w.events;
            long start = System.nanoTime();
            if (join) {
                EventSender left = events.getEventSender("LeftEvent");
                EventSender right = events.getEventSender("RightEvent");
                long now = 0;
                for (BenchEvent e : ev) {
                    if (e.getTs() != now) {
                        now = e.getTs();
                        events.advanceTime(now);
                    }
                    (e instanceof BenchEvent.Left ? left : right).sendEvent(e);
                }
            } else {
                EventSender sender = events.getEventSender("BenchEvent");
                long now = 0;
                for (BenchEvent e : ev) {
                    if (e.getTs() != now) {
                        now = e.getTs();
                        events.advanceTime(now);
                    }
                    sender.sendEvent(e);
                }
                events.advanceTime(now + END_OF_INPUT_MILLIS);
            }
            long nanos = System.nanoTime() - start;
            return new long[] {ev.length, rows[0], nanos};
        } finally {
            runtime.destroy();
        }
    }
}
