package io.sluice.cli.shell;

import io.sluice.sql.Flow;
import io.sluice.sql.FlowCounters;
import io.sluice.sql.RejectedEvent;
import io.sluice.sql.Row;
import io.sluice.sql.RowListener;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.StatementResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The shell over an engine in this process ({@code --local}). Thread-safe (the engine is). */
final class LocalBackend implements ShellBackend {
    private final RtsqlEngine engine;

    LocalBackend(RtsqlEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    RtsqlEngine engine() {
        return engine;
    }

    @Override
    public String describe() {
        return "local engine";
    }

    /** What {@code \f} and the other commands show of flow {@code f}, with why it waits, as a server says. */
    FlowView view(Flow f) {
        FlowCounters c = f.counters();
        List<RejectedEvent> kept = c.rejected() > 0 ? f.rejectedEvents() : List.of();
        return new FlowView(f.id(), f.state().name(), f.query(), f.isFinite(), f.columns(), c.eventsIn(), c.rowsOut(),
                c.rejected(), c.late(), f.failure().map(Throwable::toString).orElse(null),
                kept.isEmpty() ? null : kept.get(0).reason() + " in '" + kept.get(0).raw() + "'", engine.flowWaiting(f.id()));
    }

    private RowListener adapt(Listener l) {
        return new RowListener() {
            @Override
            public void onRow(Row row) {
                l.onRow(row);
            }

            @Override
            public void onEnd(Flow flow) {
                l.onEnd(view(flow));
            }
        };
    }

    @Override
    public Executed execute(String statement, Listener listener) throws RtsqlException {
        RowListener rl = listener == null ? null : adapt(listener);
        StatementResult r = engine.execute(statement, rl);
        Optional<FlowView> flow = r.flow().map(this::view);
        Watch w = () -> r.flow().ifPresent(f -> f.unsubscribe(rl));
        return new Executed(r, flow, w);
    }

    @Override
    public List<FlowView> flows() {
        List<FlowView> out = new ArrayList<>();
        for (Flow f : engine.flows()) {
            out.add(view(f));
        }
        return out;
    }

    @Override
    public Optional<FlowView> flow(long id) {
        return engine.flow(id).map(this::view);
    }

    @Override
    public Watch watch(long id, Listener listener) throws RtsqlException {
        Flow f = engine.flow(id).orElseThrow(() -> new RtsqlException("there is no flow " + id));
        RowListener rl = adapt(listener);
        f.subscribe(rl);
        return () -> f.unsubscribe(rl);
    }

    @Override
    public FlowView drop(long id, boolean wait) throws RtsqlException {
        engine.dropFlow(id);
        Flow f = engine.flow(id).orElseThrow();
        if (wait) {
            try {
                if (!f.awaitEnd(Duration.ofSeconds(30))) {
                    throw new RtsqlException("flow " + id + " has not stopped after 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return view(f);
    }

    @Override
    public FlowView awaitEnd(long id) throws RtsqlException, InterruptedException {
        Flow f = engine.flow(id).orElseThrow(() -> new RtsqlException("there is no flow " + id));
        while (!f.awaitEnd(Duration.ofSeconds(1))) {
            // finite flows end by themselves; keep waiting
        }
        return view(f);
    }

    @Override
    public void close() {
        engine.close();
    }
}
