package io.sluice.flume.bridge.adapter;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The mutable header map a Flume plugin expects from {@code Event.getHeaders()}, over a Sluice
 * event's immutable headers: reads go to those headers; the first change copies them. Iterating
 * an unchanged map gives read-only entries. Not thread-safe (one event, one thread).
 */
final class HeaderMap extends AbstractMap<String, String> {
    private Map<String, String> current;
    private boolean copied;

    HeaderMap(Map<String, String> base) {
        this.current = base;
    }

    boolean changed() {
        return copied;
    }

    Map<String, String> current() {
        return current;
    }

    private Map<String, String> writable() {
        if (!copied) {
            Map<String, String> copy = new LinkedHashMap<>(Math.max(4, current.size() * 2 + 2));
            copy.putAll(current);
            current = copy;
            copied = true;
        }
        return current;
    }

    @Override
    public String get(Object key) {
        return current.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return current.containsKey(key);
    }

    @Override
    public int size() {
        return current.size();
    }

    @Override
    public boolean isEmpty() {
        return current.isEmpty();
    }

    @Override
    public String put(String key, String value) {
        return writable().put(key, value);
    }

    @Override
    public String remove(Object key) {
        return current.containsKey(key) ? writable().remove(key) : null;
    }

    @Override
    public void putAll(Map<? extends String, ? extends String> m) {
        if (!m.isEmpty()) {
            writable().putAll(m);
        }
    }

    @Override
    public void clear() {
        if (!current.isEmpty()) {
            writable().clear();
        }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return copied ? current.entrySet() : Collections.unmodifiableMap(current).entrySet();
    }
}
