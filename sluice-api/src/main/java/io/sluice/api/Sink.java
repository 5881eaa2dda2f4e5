package io.sluice.api;

/**
 * Takes events from its channel inside a transaction and delivers them. It commits only after
 * delivery is acknowledged or durable, otherwise it rolls back and throws or returns BACKOFF.
 *
 * <p>{@link #process()} is called by one runner thread at a time.
 */
public interface Sink extends Component {

    void setChannel(Channel channel);

    Channel getChannel();

    /** Moves one batch; READY when it moved events, BACKOFF when the channel was empty. */
    Status process() throws EventDeliveryException;
}
