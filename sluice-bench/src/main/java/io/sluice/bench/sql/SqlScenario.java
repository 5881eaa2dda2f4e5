package io.sluice.bench.sql;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sql-tumbling} and {@code sql-join}: the same pre-generated events through Sluice's rtsql
 * engine and through Esper 9.0.0, in-process on one thread. Untimed warm-up runs per engine
 * ({@code --warmup} / 2, at least 2) on a smaller workload, then {@code --runs} timed runs per
 * engine, alternating Esper, Sluice, Esper, ...; each run uses a fresh engine. The events per run
 * scale with {@code --seconds} (one million per second asked, at least 200,000).
 */
public final class SqlScenario implements Scenario {
    private final String name;
    private final boolean join;

    private SqlScenario(String name, boolean join) {
        this.name = name;
        this.join = join;
    }

    /** 1-second tumbling GROUP BY over 1000 keys with COUNT, SUM, AVG, MIN and MAX. */
    public static SqlScenario tumbling() {
        return new SqlScenario("sql-tumbling", false);
    }

    /** Equi-join of two streams on the key within 100 ms either way. */
    public static SqlScenario join() {
        return new SqlScenario("sql-join", true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return join ? "rtsql equi-join of two streams within 100 ms (1000 keys, 100-byte events) vs Esper 9.0.0"
                : "rtsql 1-s tumbling GROUP BY, 1000 keys, COUNT/SUM/AVG/MIN/MAX, 100-byte events vs Esper 9.0.0";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        int n = Math.max(200_000, context.options().windowSeconds() * 1_000_000);
        Workload w = join ? Workload.join(n, 20, 42) : Workload.tumbling(n, 100, 42);
        Object[][] rows = SluiceSide.rows(w);
        String epl = join ? EsperSide.JOIN : EsperSide.TUMBLING;
        String sql = join ? SluiceSide.JOIN : SluiceSide.TUMBLING;
        context.log(String.format(Locale.ROOT, "# %d events per run; rtsql: %s", n, sql));
        context.log("# esper: " + epl);
        Workload warm = join ? Workload.join(Math.min(n, 500_000), 20, 7)
                : Workload.tumbling(Math.min(n, 1_000_000), 100, 7);
        Object[][] warmRows = SluiceSide.rows(warm);
        for (int i = 0; i < Math.max(2, context.options().warmupSeconds() / 2); i++) {
            report(context, "warmup esper", EsperSide.run(epl, warm, join));
            report(context, "warmup sluice", SluiceSide.run(sql, warm, warmRows, join));
        }
        List<Double> esper = new ArrayList<>();
        List<Double> sluice = new ArrayList<>();
        for (int run = 1; run <= context.options().runs(); run++) {
            esper.add(report(context, "run " + run + " esper", EsperSide.run(epl, w, join)));
            sluice.add(report(context, "run " + run + " sluice", SluiceSide.run(sql, w, rows, join)));
        }
        return List.of(new Comparison(name, "esper", sluice, esper));
    }

    private static double report(BenchContext context, String what, long[] r) {
        double eps = r[0] * 1e9 / r[2];
        context.log(String.format(Locale.ROOT, "%s: events=%d rows_out=%d seconds=%.3f eps=%.0f", what, r[0], r[1],
                r[2] / 1e9, eps));
        return eps;
    }
}
