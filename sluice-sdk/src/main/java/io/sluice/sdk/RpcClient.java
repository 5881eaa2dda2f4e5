package io.sluice.sdk;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import java.util.List;

/**
 * Sends events to an avro (or, for {@code client.type = thrift}, a thrift) source. A call returns once the agent has answered {@code OK} for every
 * event in it, meaning they are committed to its channels. It throws
 * {@link BatchRefusedException} when the agent answered {@code FAILED} (typically a full channel:
 * retry later), and {@link EventDeliveryException} when the agent could not be reached or did not
 * answer in time; in both cases some or none of the events may have been stored, so a retry can
 * deliver duplicates (at-least-once).
 *
 * <p>Implementations are thread-safe.
 */
public interface RpcClient extends AutoCloseable {

    /** The largest number of events sent in one request; longer lists are split. */
    int getBatchSize();

    void append(Event event) throws EventDeliveryException;

    void appendBatch(List<Event> events) throws EventDeliveryException;

    /** False once closed; a client whose connection failed reconnects on its next call. */
    boolean isActive();

    @Override
    void close();
}
