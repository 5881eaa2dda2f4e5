package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Conversions between Apache Flume's events and Sluice's. A Flume event the plugin built keeps
 * its body array (Sluice takes it over, as Flume's own channels keep the reference); only the
 * headers are copied into Sluice's immutable map. Stateless.
 */
final class Events {
    private static final byte[] EMPTY = new byte[0];

    private Events() {
    }

    static Event toSluice(org.apache.flume.Event e) {
        if (e instanceof EventView) {
            return ((EventView) e).toSluice();
        }
        return wrap(e.getHeaders(), e.getBody());
    }

    static Event wrap(Map<String, String> headers, byte[] body) {
        try {
            return Event.wrap(headers, body == null ? EMPTY : body);
        } catch (NullPointerException e) {
            throw new org.apache.flume.ChannelException("the plugin built an event Sluice cannot hold: " + e.getMessage()
                    + " (header names and values must not be null)", e);
        }
    }

    static List<Event> toSluice(List<org.apache.flume.Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        for (org.apache.flume.Event e : events) {
            if (e != null) {
                out.add(toSluice(e));
            }
        }
        return out;
    }

    static List<org.apache.flume.Event> views(List<Event> events) {
        List<org.apache.flume.Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            out.add(new EventView(e));
        }
        return out;
    }
}
