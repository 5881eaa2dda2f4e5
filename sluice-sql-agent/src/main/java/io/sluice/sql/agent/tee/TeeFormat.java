package io.sluice.sql.agent.tee;

import io.sluice.core.tap.TeeAccept;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * The tee body format and batch limits agreed with the server for one registration, shared by that
 * registration's senders. It starts from what the server announced ({@link TeeAccept}): the binary
 * form when the server takes it or said nothing, else ndjson. A server that refuses a binary batch
 * as an unknown type (415, or 400 from a server that announced nothing: one that predates the binary
 * form reads every body as ndjson) makes every sender of the registration fall back to ndjson, the
 * refused batch sent again in it. Thread-safe.
 */
final class TeeFormat {
    /** The most events the agent puts in one batch, whatever the server takes. */
    static final int MAX_EVENTS = 65_536;
    /** The most bytes the agent puts in one batch body, whatever the server takes. */
    static final int MAX_BYTES = 1 << 20;

    private final TeeAccept accept;
    private final AtomicBoolean binary;

    TeeFormat(TeeAccept accept) {
        this.accept = requireNonNull(accept, "accept is null");
        this.binary = new AtomicBoolean(accept.binary() || !accept.ndjson());
    }

    /** What the server announced. */
    TeeAccept accept() {
        return accept;
    }

    /** Whether batches go in the binary form now (else ndjson). */
    boolean binary() {
        return binary.get();
    }

    /** The TeeFrames version binary batches go in: the newest the server reads. */
    int binaryVersion() {
        return accept.binaryVersion();
    }

    int maxEvents() {
        return Math.min(MAX_EVENTS, accept.maxEvents());
    }

    int maxBytes() {
        return Math.min(MAX_BYTES, accept.maxBytes());
    }

    /**
     * The server answered {@code status} to a binary batch: returns whether that refuses the binary
     * form (then send the batch again as ndjson). {@code switched} is set when this call made the
     * switch (the first sender to see it: log and count it once).
     */
    boolean refusesBinary(int status, boolean[] switched) {
        boolean refused = status == 415 || status == 400 && !accept.announced();
        if (refused) {
            switched[0] = binary.compareAndSet(true, false);
        }
        return refused;
    }
}
