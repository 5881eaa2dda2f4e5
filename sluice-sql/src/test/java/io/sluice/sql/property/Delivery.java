package io.sluice.sql.property;

import io.sluice.api.Event;
import io.sluice.sql.StreamInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Ways of handing the same events to a stream. Each event is {@code (id, ts, k, v)}; {@code k} and
 * {@code v} may be null. Stateless.
 */
final class Delivery {
    /** One event. */
    record Ev(int id, long ts, String k, Integer v) {
        Object[] values() {
            return new Object[] {id, ts, k, v};
        }

        String line() {
            return id + "," + ts + "," + (k == null ? "\\N" : k) + "," + (v == null ? "\\N" : v);
        }
    }

    private Delivery() {
    }

    /** {@code n} events in event-time order, gaps of 0..{@code maxGap} ms, about one value in 15 NULL. */
    static List<Ev> inOrder(long seed, int n, int keys, int maxGap) {
        Random rnd = new Random(seed);
        List<Ev> out = new ArrayList<>(n);
        long ts = 50_000;
        for (int i = 0; i < n; i++) {
            ts += rnd.nextInt(maxGap + 1);
            out.add(new Ev(i, ts, "k" + rnd.nextInt(keys), rnd.nextInt(15) == 0 ? null : rnd.nextInt(100)));
        }
        return out;
    }

    /**
     * The same events re-ordered: cut into runs spanning less than {@code span} ms of event time, each
     * run shuffled. Every event then arrives less than {@code span} ms behind the newest one seen, so
     * with {@code span} at most the slack no event is late.
     */
    static List<Ev> disordered(List<Ev> events, long span, long seed) {
        Random rnd = new Random(seed);
        List<Ev> out = new ArrayList<>(events.size());
        List<Ev> run = new ArrayList<>();
        for (Ev e : events) {
            if (!run.isEmpty() && e.ts() - run.get(0).ts() >= span) {
                Collections.shuffle(run, rnd);
                out.addAll(run);
                run.clear();
            }
            run.add(e);
        }
        Collections.shuffle(run, rnd);
        out.addAll(run);
        return out;
    }

    /** Pushes every event as a row, one at a time, on the calling thread. */
    static void rows(StreamInput in, List<Ev> events) {
        for (Ev e : events) {
            in.push(e.values(), e.ts());
        }
        in.end();
    }

    /**
     * Pushes every event as raw text through the stream's format, in batches of 1..{@code maxBatch}
     * events, each batch on a new thread that is joined before the next batch starts.
     */
    static void textBatchesOnChangingThreads(StreamInput in, List<Ev> events, int maxBatch, long seed)
            throws InterruptedException {
        Random rnd = new Random(seed);
        int i = 0;
        while (i < events.size()) {
            int end = Math.min(events.size(), i + 1 + rnd.nextInt(maxBatch));
            List<Ev> batch = events.subList(i, end);
            Thread t = new Thread(() -> {
                for (Ev e : batch) {
                    in.pushEvent(Event.ofString(e.line()));
                }
            }, "pusher-" + i);
            t.start();
            t.join();
            i = end;
        }
        in.end();
    }

    static List<String> lines(List<Ev> events) {
        List<String> lines = new ArrayList<>();
        for (Ev e : events) {
            lines.add(e.line());
        }
        return lines;
    }
}
