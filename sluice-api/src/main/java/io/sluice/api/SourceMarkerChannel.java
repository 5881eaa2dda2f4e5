package io.sluice.api;

import java.util.Optional;

/**
 * A {@link Channel} whose transactions are {@link MarkedTransaction}s and which keeps, for each
 * owner, the marker of the owner's last committed transaction across restarts (a write-ahead log
 * replays it; checkpoints and the deletion of old log segments keep the newest one per owner). The
 * file channel implements it; the memory channel does not (its events do not outlive the process,
 * so a marker would not either).
 *
 * <p>Thread-safe.
 */
public interface SourceMarkerChannel extends Channel {

    /** The marker {@code owner} committed last, empty when it never committed one in this channel. */
    Optional<byte[]> committedMarker(String owner);
}
