package io.sluice.api;

/**
 * A {@link Transaction} of a durable channel that can commit a source's marker together with its
 * puts: {@link #mark} attaches an opaque value (for a file-tailing source, the file positions the
 * batch ends at) to this transaction, and the channel writes it in the same durable commit as the
 * events. So after a crash the channel holds either the events and the marker saying they were
 * read, or neither: a source that resumes from the channel's marker
 * ({@link SourceMarkerChannel#committedMarker}) neither repeats nor skips a batch, whatever moment
 * the process died at.
 *
 * <p>Not thread-safe, like every transaction: owned by one thread.
 */
public interface MarkedTransaction extends Transaction {

    /** Longest owner name in UTF-8 bytes. */
    int MAX_OWNER_BYTES = 4096;

    /** Largest marker in bytes. */
    int MAX_MARKER_BYTES = 16 * 1024 * 1024;

    /**
     * Records {@code marker} as {@code owner}'s marker when this transaction commits (replacing a
     * value an earlier call in the same transaction gave). A transaction that only marks, without
     * puts or takes, still commits the marker. The array is not copied; do not change it afterwards.
     *
     * @param owner a name stable across restarts that no other source of the agent uses, for
     *     example the absolute path of the source's position file
     * @throws IllegalArgumentException when {@code owner} is empty or longer than
     *     {@link #MAX_OWNER_BYTES}, or {@code marker} is larger than {@link #MAX_MARKER_BYTES}
     */
    void mark(String owner, byte[] marker);
}
