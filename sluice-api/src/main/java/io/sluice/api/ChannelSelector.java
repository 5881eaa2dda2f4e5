package io.sluice.api;

import java.util.List;

/**
 * Chooses, per event, the channels a source writes it to: required ones (a failure fails the
 * put) and optional ones (a failure is logged and counted). Thread-safe once configured.
 */
public interface ChannelSelector {

    void setChannels(List<Channel> channels);

    List<Channel> getRequiredChannels(Event event);

    List<Channel> getOptionalChannels(Event event);

    List<Channel> getAllChannels();
}
