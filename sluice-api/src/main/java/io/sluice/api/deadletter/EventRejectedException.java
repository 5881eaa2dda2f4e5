package io.sluice.api.deadletter;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;

import static java.util.Objects.requireNonNull;

/**
 * One event cannot be delivered for a reason tied to that event: it cannot be serialized, it is
 * over the destination's size limit, the destination refused that one record. It is the opposite
 * of its superclass's usual meaning, a failure of the destination itself (connection refused,
 * timeout), which a sink rolls back and retries and which never dead-letters.
 *
 * <p>A sink built on Sluice's batch sink base class reports such an event in one of two ways:
 * <ul>
 *   <li>it calls the base class's {@code reject(EventRejectedException)} for the event and goes
 *       on with the rest of the batch (for a sink that writes event by event: files, HDFS, Kafka
 *       per-record callbacks);</li>
 *   <li>or it throws this exception from its delivery, promising that nothing of the batch was
 *       made durable (for a sink that sends a batch all or nothing); the base class then sets the
 *       event aside and delivers the rest of the batch again.</li>
 * </ul>
 * With a {@code deadLetter.channel} the event goes there and the batch goes on; without one the
 * batch is rolled back and retried, as for any other failure.
 *
 * <p>Immutable once thrown.
 */
public class EventRejectedException extends EventDeliveryException {
    private static final long serialVersionUID = 1L;

    private final transient Event event;
    private final String reason;

    /**
     * @param event the event that cannot be delivered
     * @param reason why, for people: it becomes the dead letter's {@code sluice.error} header,
     *     e.g. {@code "event of 2000000 bytes is over the limit of 1000000 bytes"}
     */
    public EventRejectedException(Event event, String reason) {
        this(event, reason, null);
    }

    public EventRejectedException(Event event, String reason, Throwable cause) {
        super(requireNonNull(reason, "reason is null"), cause);
        this.event = requireNonNull(event, "event is null");
        this.reason = reason;
    }

    /** The event that cannot be delivered. */
    public Event event() {
        return event;
    }

    /** Why, as it goes into the {@code sluice.error} header. */
    public String reason() {
        return reason;
    }
}
