package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.TransactionCapacityAware;
import io.sluice.core.channel.memory.MemoryChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the events of a memory channel that a reload rebuilds into its replacement, batch by batch:
 * each batch is committed to the new channel before it is committed as taken from the old one, so
 * a failure leaves it in the old channel (it is never in neither). Called with the channel's
 * sources and sinks stopped. Stateless.
 */
final class ChannelMover {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelMover.class);
    private static final int DEFAULT_BATCH = 100;

    private ChannelMover() {
    }

    /** Returns how many events moved; what could not move is logged and stays in {@code from}. */
    static long move(MemoryChannel from, Channel to, String label) {
        int batch = from.transactionCapacity();
        if (to instanceof TransactionCapacityAware) {
            batch = Math.min(batch, ((TransactionCapacityAware) to).transactionCapacity());
        } else {
            batch = Math.min(batch, DEFAULT_BATCH);
        }
        long moved = 0;
        while (from.size() > 0) {
            List<Event> events = new ArrayList<>(batch);
            try (Transaction take = from.getTransaction(); Transaction put = to.getTransaction()) {
                take.begin();
                take.takeBatch(batch, events);
                if (events.isEmpty()) {
                    take.commit();
                    break;
                }
                try {
                    put.begin();
                    put.putAll(events);
                    put.commit();
                } catch (RuntimeException e) {
                    rollbackQuietly(put);
                    take.rollback();
                    LOG.error("[{}] the rebuilt channel refused {} event(s) moved from the old one ({}); {} event(s)"
                            + " stay in the old channel", label, events.size(), e.getMessage(), from.size());
                    return moved;
                }
                take.commit();
                moved += events.size();
            }
        }
        return moved;
    }

    private static void rollbackQuietly(Transaction tx) {
        if (tx.state() == Transaction.State.OPEN) {
            try {
                tx.rollback();
            } catch (RuntimeException e) {
                LOG.debug("rollback after a failed move failed too", e);
            }
        }
    }
}
