package io.sluice.avro;

import io.sluice.api.Channel;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A hand-written unbounded channel for sink tests (the collaborator, not the thing under test):
 * takes are staged and go back to the head of the queue, in order, on rollback.
 */
final class QueueChannel implements Channel {
    private final Deque<Event> queue = new ArrayDeque<>();
    private int commits;
    private int rollbacks;

    @Override
    public String name() {
        return "c1";
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    @Override
    public State lifecycleState() {
        return State.STARTED;
    }

    synchronized void putAll(List<Event> events) {
        queue.addAll(events);
    }

    synchronized int size() {
        return queue.size();
    }

    synchronized int commits() {
        return commits;
    }

    synchronized int rollbacks() {
        return rollbacks;
    }

    @Override
    public Transaction getTransaction() {
        return new Transaction() {
            private final List<Event> taken = new ArrayList<>();
            private final List<Event> puts = new ArrayList<>();
            private State state = State.NEW;

            @Override
            public void begin() {
                check(State.NEW, "begin");
                state = State.OPEN;
            }

            @Override
            public void put(Event event) {
                check(State.OPEN, "put");
                puts.add(event);
            }

            @Override
            public Event take() {
                check(State.OPEN, "take");
                synchronized (QueueChannel.this) {
                    Event e = queue.pollFirst();
                    if (e != null) {
                        taken.add(e);
                    }
                    return e;
                }
            }

            @Override
            public void commit() {
                check(State.OPEN, "commit");
                synchronized (QueueChannel.this) {
                    queue.addAll(puts);
                    commits++;
                }
                state = State.COMMITTED;
            }

            @Override
            public void rollback() {
                check(State.OPEN, "rollback");
                synchronized (QueueChannel.this) {
                    for (int i = taken.size() - 1; i >= 0; i--) {
                        queue.addFirst(taken.get(i));
                    }
                    rollbacks++;
                }
                state = State.ROLLED_BACK;
            }

            @Override
            public State state() {
                return state;
            }

            @Override
            public void close() {
                if (state == State.OPEN) {
                    rollback();
                }
                state = State.CLOSED;
            }

            private void check(State expected, String op) {
                if (state != expected) {
                    throw new IllegalStateException(op + "() called when transaction is " + state);
                }
            }
        };
    }
}
