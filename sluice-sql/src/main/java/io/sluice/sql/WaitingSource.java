package io.sluice.sql;

/**
 * An opened NODE, SOURCE or METRICS source (the value {@link EventSourceProvider#open} returns) that
 * can say why it gets no events at the moment, so that the host shows it beside the flows that read
 * it (the server's flow list: {@code GET /v1/flows} and the shell's {@code \f}) rather than only in
 * its log.
 * Implementations must be thread-safe: the host asks from any thread.
 */
public interface WaitingSource {
    /**
     * Why the source gets no events now, naming what it waits for and what to do
     * ({@code "waiting for the metrics query API at http://127.0.0.1:9091: ..."}), or null while it
     * is reading.
     */
    String waitingReason();
}
