package io.sluice.channel.file.log;

import io.sluice.api.Event;
import java.util.Arrays;

/**
 * A growable ring of event pointers (primitive longs), each with an optional cached {@link Event}
 * so that events still in memory are not read back from disk. 1 M queued events cost about 12 MB
 * when nothing is cached.
 *
 * <p>Not thread-safe: the channel guards it with its queue lock.
 */
public final class PointerQueue {
    private long[] pointers;
    private Event[] events;
    private int head;
    private int size;

    public PointerQueue(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity - 1)) << 1;
        pointers = new long[cap];
        events = new Event[cap];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void addLast(long pointer, Event cached) {
        grow();
        int i = (head + size) & (pointers.length - 1);
        pointers[i] = pointer;
        events[i] = cached;
        size++;
    }

    public void addFirst(long pointer, Event cached) {
        grow();
        head = (head - 1) & (pointers.length - 1);
        pointers[head] = pointer;
        events[head] = cached;
        size++;
    }

    public long peekPointer() {
        return pointers[head];
    }

    /** The cached event of the head (null when not cached); call before {@link #removeFirst()}. */
    public Event peekEvent() {
        return events[head];
    }

    public long removeFirst() {
        long p = pointers[head];
        events[head] = null;
        head = (head + 1) & (pointers.length - 1);
        size--;
        return p;
    }

    public long get(int index) {
        return pointers[(head + index) & (pointers.length - 1)];
    }

    /** Copies every pointer, head first, into {@code dest} at {@code at}. */
    public void copyTo(long[] dest, int at) {
        int first = Math.min(size, pointers.length - head);
        System.arraycopy(pointers, head, dest, at, first);
        System.arraycopy(pointers, 0, dest, at + first, size - first);
    }

    /** Keeps only pointers not in {@code drop}; returns how many were removed. */
    public int removeAll(LongHashSet drop) {
        long[] np = new long[pointers.length];
        Event[] ne = new Event[events.length];
        int n = 0;
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (pointers.length - 1);
            if (!drop.remove(pointers[i])) {
                np[n] = pointers[i];
                ne[n] = events[i];
                n++;
            }
        }
        int removed = size - n;
        pointers = np;
        events = ne;
        head = 0;
        size = n;
        return removed;
    }

    private void grow() {
        if (size < pointers.length) {
            return;
        }
        int cap = pointers.length * 2;
        long[] np = new long[cap];
        Event[] ne = new Event[cap];
        int first = pointers.length - head;
        System.arraycopy(pointers, head, np, 0, first);
        System.arraycopy(pointers, 0, np, first, head);
        System.arraycopy(events, head, ne, 0, first);
        System.arraycopy(events, 0, ne, first, head);
        pointers = np;
        events = ne;
        head = 0;
        Arrays.fill(ne, size, cap, null);
    }
}
