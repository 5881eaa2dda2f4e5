package io.sluice.api;

import java.util.List;

/**
 * Decides which sink of a sink group processes next: one sink ({@code default}), the best live
 * one ({@code failover}), or a rotation ({@code load_balance}). Called by one runner thread.
 */
public interface SinkProcessor extends Lifecycle {

    void setSinks(List<Sink> sinks);

    Status process() throws EventDeliveryException;
}
