package io.sluice.channel.file.log;

import io.sluice.api.Event;
import java.util.Arrays;

/**
 * The pointers (and cached events) one transaction has taken and not yet committed. They count as
 * live in checkpoints, so a take that never commits reappears after a restart.
 *
 * <p>Not thread-safe: changed under the store's queue lock or by the owning transaction while it
 * is not registered.
 */
public final class TakeList {
    long[] pointers = new long[16];
    Event[] events = new Event[16];
    int size;

    void add(long pointer, Event event) {
        if (size == pointers.length) {
            pointers = Arrays.copyOf(pointers, size * 2);
            events = Arrays.copyOf(events, size * 2);
        }
        pointers[size] = pointer;
        events[size] = event;
        size++;
    }

    public int size() {
        return size;
    }

    public long[] pointers() {
        return pointers;
    }

    /** Forgets the pointers after their TAKE was committed (the store has applied it). */
    public void clearCommitted() {
        clear();
    }

    void clear() {
        Arrays.fill(events, 0, size, null);
        size = 0;
    }
}
