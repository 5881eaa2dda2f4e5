package io.sluice.core.source.syslog;

import io.netty.channel.Channel;

import static java.util.Objects.requireNonNull;

/**
 * Decides whether one connection (or the one socket of a UDP source) is read, for its two reasons
 * to stop: the events handler (on its own executor) has not yet taken more than
 * {@link #HIGH_BYTES} bytes of messages the event loop handed it, or the channels refused a batch
 * that is waiting to be retried (TCP only). Without the first
 * bound, a sender faster than the parsing and the channel puts would have its messages read off
 * the socket as fast as it writes them and queued on the heap without limit (so it never felt
 * back-pressure, and the agent spent its time in garbage collection); with it, reading pauses and
 * TCP holds the sender back. Reading resumes once the handler is down to {@link #LOW_BYTES} and no
 * refused batch waits.
 *
 * <p>Thread-safe: the event loop calls {@link #handedOver}, the handler's executor {@link #taken}
 * and {@link #refused}; each changes its input and sets the channel's {@code autoRead} under this
 * object's lock, so the last decision always sees both inputs. Setting {@code autoRead} never
 * blocks (from another thread Netty only schedules the read).
 */
final class ReadGate {
    /** Bytes handed to the handler and not yet taken beyond which reading pauses: two full reads. */
    static final long HIGH_BYTES = 128 * 1024;
    /** Bytes not yet taken at or below which a paused connection is read again. */
    static final long LOW_BYTES = 32 * 1024;
    /**
     * What a message weighs beyond its bytes (its array's and holder's headers, its slot in a
     * list), so that empty messages (an octet-counted {@code "0 "}) cannot pile up uncounted.
     */
    static final int MESSAGE_OVERHEAD_BYTES = 48;

    private final Channel channel;
    private long untaken;
    private boolean refused;
    private boolean reading = true;

    ReadGate(Channel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    /** What a message of {@code length} bytes counts for in {@link #handedOver} and {@link #taken}. */
    static long weight(int length) {
        return (long) length + MESSAGE_OVERHEAD_BYTES;
    }

    /** On the event loop: {@code bytes} of messages are handed to the handler. */
    synchronized void handedOver(long bytes) {
        untaken += bytes;
        decide();
    }

    /** On the handler's executor: the handler has taken {@code bytes} of messages. */
    synchronized void taken(long bytes) {
        untaken -= bytes;
        decide();
    }

    /** On the handler's executor: a refused batch waits ({@code true}) or was committed at last ({@code false}). */
    synchronized void refused(boolean waiting) {
        refused = waiting;
        decide();
    }

    private void decide() {
        boolean read;
        if (refused || untaken > HIGH_BYTES) {
            read = false;
        } else if (untaken <= LOW_BYTES) {
            read = true;
        } else {
            read = reading; // between the marks: keep what was decided
        }
        if (read != reading) {
            reading = read;
            channel.config().setAutoRead(read);
        }
    }
}
