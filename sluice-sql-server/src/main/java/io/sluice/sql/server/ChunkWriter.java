package io.sluice.sql.server;

/**
 * The open body of a streamed (chunked) answer. Thread-safe: write and end from any thread.
 */
public interface ChunkWriter {
    /** Sends {@code text} (UTF-8) as one chunk; does nothing once the stream ended or the client left. */
    void write(String text);

    /** False while the client has not read what was written so far (its socket buffer is full). */
    boolean writable();

    /** True until the stream ended or the client went away. */
    boolean open();

    /** Ends the body and closes the connection. Idempotent. */
    void end();

    /** Runs {@code action} once the connection is closed (by either side); at once if it already is. */
    void onClose(Runnable action);
}
