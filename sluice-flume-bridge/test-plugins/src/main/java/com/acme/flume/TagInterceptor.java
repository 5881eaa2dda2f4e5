package com.acme.flume;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.interceptor.Interceptor;

/**
 * Sets header {@code key} to {@code value} on every event, in place, as most Flume interceptors
 * do, and drops events whose body starts with {@code dropPrefix} (when set). Thread-safe.
 */
public class TagInterceptor implements Interceptor {
    private final String key;
    private final String value;
    private final String dropPrefix;

    TagInterceptor(String key, String value, String dropPrefix) {
        this.key = key;
        this.value = value;
        this.dropPrefix = dropPrefix;
    }

    @Override
    public void initialize() {
    }

    @Override
    public Event intercept(Event event) {
        if (dropPrefix != null && new String(event.getBody(), StandardCharsets.UTF_8).startsWith(dropPrefix)) {
            return null;
        }
        event.getHeaders().put(key, value);
        return event;
    }

    @Override
    public List<Event> intercept(List<Event> events) {
        for (Iterator<Event> it = events.iterator(); it.hasNext();) {
            if (intercept(it.next()) == null) {
                it.remove();
            }
        }
        return events;
    }

    @Override
    public void close() {
    }

    /** Named in a configuration as {@code com.acme.flume.TagInterceptor$Builder}. */
    public static class Builder implements Interceptor.Builder {
        private String key;
        private String value;
        private String dropPrefix;

        @Override
        public void configure(Context context) {
            key = context.getString("key", "tag");
            value = context.getString("value");
            if (value == null) {
                throw new IllegalArgumentException("value is required");
            }
            dropPrefix = context.getString("dropPrefix");
        }

        @Override
        public Interceptor build() {
            return new TagInterceptor(key, value, dropPrefix);
        }
    }
}
