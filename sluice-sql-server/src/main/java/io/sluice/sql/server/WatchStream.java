package io.sluice.sql.server;

import io.sluice.core.http.HttpEndpointServer.ChunkWriter;
import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.RowListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sends a flow's rows to one HTTP client as JSON lines. Rows that come before the response is open
 * are kept and sent first. A client that does not keep up does not slow the flow: while its socket
 * buffer is full, rows are skipped and counted, and a {@code {"skipped":N}} line says how many
 * before the next row sent. When the flow ends, {@code endLine} is written and the response ends.
 *
 * <p>Thread-safe: rows come on the flow's thread, attachment on a handler thread; guarded by this
 * object's monitor (writes are queued by Netty, they do not block).
 */
final class WatchStream implements RowListener {
    private final Function<Flow, String> endLine;
    private final List<String> early = new ArrayList<>();
    private ChunkWriter out;
    private Flow endedFlow;
    private long skipped;

    WatchStream(Function<Flow, String> endLine) {
        this.endLine = endLine;
    }

    /** Writes {@code first}, then the rows that came early, then every later row as it comes. */
    void attach(ChunkWriter writer, String first) {
        Flow ended;
        synchronized (this) {
            out = writer;
            writer.write(first);
            for (String l : early) {
                writer.write(l);
            }
            early.clear();
            ended = endedFlow;
        }
        if (ended != null) {
            finish(ended);
        }
    }

    @Override
    public void onRow(Row row) {
        String line = Json.rowLine(row);
        synchronized (this) {
            if (out == null) {
                early.add(line);
                return;
            }
            if (!out.writable()) {
                skipped++;
                return;
            }
            if (skipped > 0) {
                out.write("{\"skipped\":" + skipped + "}\n");
                skipped = 0;
            }
            out.write(line);
        }
    }

    @Override
    public void onEnd(Flow flow) {
        synchronized (this) {
            if (out == null) {
                endedFlow = flow;
                return;
            }
        }
        finish(flow);
    }

    private void finish(Flow flow) {
        ChunkWriter w;
        synchronized (this) {
            w = out;
            if (skipped > 0) {
                w.write("{\"skipped\":" + skipped + "}\n");
                skipped = 0;
            }
        }
        String last = endLine.apply(flow);
        if (last != null) {
            w.write(last);
        }
        w.end();
    }
}
