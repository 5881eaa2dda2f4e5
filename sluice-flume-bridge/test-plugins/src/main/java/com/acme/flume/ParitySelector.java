package com.acme.flume;

import java.util.Collections;
import java.util.List;
import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.channel.AbstractChannelSelector;

/**
 * Routes by the parity of a numeric header ({@code header}, default {@code seq}): even numbers to
 * the channels named in {@code even}, odd ones to {@code odd}; events without a number go to
 * every channel. Thread-safe once configured.
 */
public class ParitySelector extends AbstractChannelSelector {
    private String header;
    private List<Channel> even;
    private List<Channel> odd;

    @Override
    public void configure(Context context) {
        header = context.getString("header", "seq");
        even = getChannelListFromNames(context.getString("even", ""), getChannelNameMap());
        odd = getChannelListFromNames(context.getString("odd", ""), getChannelNameMap());
    }

    @Override
    public List<Channel> getRequiredChannels(Event event) {
        String v = event.getHeaders().get(header);
        if (v == null) {
            return getAllChannels();
        }
        try {
            return Long.parseLong(v.trim()) % 2 == 0 ? even : odd;
        } catch (NumberFormatException e) {
            return getAllChannels();
        }
    }

    @Override
    public List<Channel> getOptionalChannels(Event event) {
        return Collections.emptyList();
    }
}
