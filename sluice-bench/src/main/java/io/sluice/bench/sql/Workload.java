package io.sluice.bench.sql;

import java.util.Random;

/**
 * The pre-generated events of one scenario, the same for both engines: {@code n} events over
 * {@link #KEYS} keys, {@code perMilli} events per millisecond of event time (so a 1-second window
 * holds {@code 1000 * perMilli} events), seeded. For a join, even indexes are left events and odd
 * ones right events. Immutable after construction.
 */
final class Workload {
    static final int KEYS = 1000;
    /** Payload so that key + value + time + payload make about 100 bytes. */
    static final String PAYLOAD = "x".repeat(80);

    final BenchEvent[] events;

    private Workload(BenchEvent[] events) {
        this.events = events;
    }

    static Workload tumbling(int n, int perMilli, long seed) {
        Random rnd = new Random(seed);
        String[] keys = keys();
        BenchEvent[] ev = new BenchEvent[n];
        for (int i = 0; i < n; i++) {
            ev[i] = new BenchEvent(keys[rnd.nextInt(KEYS)], rnd.nextInt(1000), i / perMilli, PAYLOAD);
        }
        return new Workload(ev);
    }

    static Workload join(int n, int perMilli, long seed) {
        Random rnd = new Random(seed);
        String[] keys = keys();
        BenchEvent[] ev = new BenchEvent[n];
        for (int i = 0; i < n; i++) {
            String k = keys[rnd.nextInt(KEYS)];
            int v = rnd.nextInt(1000);
            long ts = i / perMilli;
            ev[i] = (i & 1) == 0 ? new BenchEvent.Left(k, v, ts, PAYLOAD) : new BenchEvent.Right(k, v, ts, PAYLOAD);
        }
        return new Workload(ev);
    }

    private static String[] keys() {
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key-" + i;
        }
        return keys;
    }
}
