package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import java.nio.ByteBuffer;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A Sluice event as Apache Flume's {@code Event}. Nothing is copied up front: the header map is
 * copied on the plugin's first change, the body on its first {@code getBody()} (Sluice events
 * never share their array). {@link #toSluice()} returns the original event when the plugin
 * changed nothing. Not thread-safe (one event, one thread, as in Flume).
 */
public final class EventView implements org.apache.flume.Event {
    private final Event origin;
    private HeaderMap headers;
    private Map<String, String> replacedHeaders;
    private byte[] body;
    private boolean bodyReplaced;

    public EventView(Event origin) {
        this.origin = requireNonNull(origin, "origin is null");
    }

    @Override
    public Map<String, String> getHeaders() {
        if (replacedHeaders != null) {
            return replacedHeaders;
        }
        if (headers == null) {
            headers = new HeaderMap(origin.headers());
        }
        return headers;
    }

    @Override
    public void setHeaders(Map<String, String> newHeaders) {
        replacedHeaders = newHeaders;
        headers = null;
    }

    @Override
    public byte[] getBody() {
        if (body == null) {
            body = origin.body();
        }
        return body;
    }

    @Override
    public void setBody(byte[] newBody) {
        body = newBody == null ? new byte[0] : newBody;
        bodyReplaced = true;
    }

    /** The event as it now is: the original one when nothing was changed. */
    public Event toSluice() {
        boolean headersChanged = replacedHeaders != null || (headers != null && headers.changed());
        boolean bodyChanged = bodyReplaced || (body != null && !origin.bodyBuffer().equals(ByteBuffer.wrap(body)));
        if (!headersChanged && !bodyChanged) {
            return origin;
        }
        Map<String, String> h = replacedHeaders != null ? replacedHeaders
                : headers != null ? headers.current() : origin.headers();
        if (bodyChanged) {
            return Events.wrap(h, body);
        }
        try {
            return origin.withHeaders(h); // shares the body array, copies the headers once
        } catch (NullPointerException e) {
            throw new org.apache.flume.ChannelException("the plugin set a header Sluice cannot hold: " + e.getMessage()
                    + " (header names and values must not be null)", e);
        }
    }

    @Override
    public String toString() {
        return "[Event headers = " + getHeaders() + ", body.length = " + (body != null ? body.length : origin.bodyLength())
                + " ]";
    }
}
