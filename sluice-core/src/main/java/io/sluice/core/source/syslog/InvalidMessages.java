package io.sluice.core.source.syslog;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.core.source.support.RejectedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Sets invalid syslog messages (no valid {@code <PRI>}: {@code flume.syslog.status = Invalid})
 * aside in the source's dead-letter channel, in front of the source's channel processor. Without a
 * dead-letter channel, and for a message the dead-letter channel refused, the message goes on to
 * the source's channels with its {@code Invalid} status as Apache Flume delivers it, so nothing is
 * lost. Messages cut at {@code eventSize} ({@code Incomplete}) are delivered as they are.
 *
 * <p>Thread-safe: it holds no state of its own.
 */
final class InvalidMessages implements ChannelProcessor {
    static final String REASON = "not a syslog message: it does not start with a valid <PRI>"
            + " (RFC 5424 / RFC 3164)";

    private final Supplier<ChannelProcessor> next;
    private final RejectedInput rejected;

    InvalidMessages(Supplier<ChannelProcessor> next, RejectedInput rejected) {
        this.next = requireNonNull(next, "next is null");
        this.rejected = requireNonNull(rejected, "rejected is null");
    }

    @Override
    public void processEvent(Event event) {
        if (!setAside(event)) {
            next.get().processEvent(event);
        }
    }

    @Override
    public void processEventBatch(List<Event> events) {
        if (!rejected.keeps()) {
            next.get().processEventBatch(events);
            return;
        }
        List<Event> rest = null;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (setAside(e)) {
                if (rest == null) {
                    rest = new ArrayList<>(events.subList(0, i));
                }
            } else if (rest != null) {
                rest.add(e);
            }
        }
        List<Event> forward = rest == null ? events : rest;
        if (!forward.isEmpty()) {
            next.get().processEventBatch(forward);
        }
    }

    /** True when {@code event} is an invalid message now committed to the dead-letter channel. */
    private boolean setAside(Event event) {
        return SyslogParser.INVALID.equals(event.header(SyslogParser.STATUS))
                && rejected.keep(event.body(), event.headers(), REASON);
    }
}
