package io.sluice.api;

import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The listeners of a channel's put commits ({@link Channel#addPutCommitListener}), for channel
 * implementations. Thread-safe: adding and removing are rare and copy the list; {@link #fire()} reads
 * it without a lock, so the committing thread pays a volatile read when nobody listens.
 */
public final class PutCommitListeners {
    private static final Logger LOG = LoggerFactory.getLogger(PutCommitListeners.class);

    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void add(Runnable listener) {
        listeners.addIfAbsent(requireNonNull(listener, "listener is null"));
    }

    public void remove(Runnable listener) {
        listeners.remove(listener);
    }

    /** Runs every listener; one that throws is logged and does not stop the others or the commit. */
    public void fire() {
        if (listeners.isEmpty()) {
            return;
        }
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("a put-commit listener failed: {}", e.toString());
            }
        }
    }
}
