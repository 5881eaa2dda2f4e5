package io.sluice.flume.bridge.adapter;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The mutable header map a Flume plugin expects from {@code Event.getHeaders()}, over a Sluice
 * event's immutable headers: reads go to those headers; the first change copies them, also a
 * change made through an iterator or an entry. One exception keeps the most common change cheap:
 * a single {@code put} (an interceptor tagging the event) is held beside the original headers
 * instead of copying them; a second change, or any entry-level access, copies. Not thread-safe
 * (one event, one thread).
 */
final class HeaderMap extends AbstractMap<String, String> {
    private final Map<String, String> base;
    /** The headers once copied for a change; null while unchanged or holding only one put. */
    private Map<String, String> copy;
    /** A single put held beside {@link #base} while {@link #copy} is null; null when none. */
    private String addedKey;
    private String addedValue;
    /** Whether {@link #addedKey} is not a key of {@link #base}. */
    private boolean addedIsNew;

    HeaderMap(Map<String, String> base) {
        this.base = base;
    }

    boolean changed() {
        return copy != null || addedKey != null;
    }

    /**
     * The headers as they now are. The result is not changed by later changes to this map when the
     * map holds only one put over no headers ({@code Map.of}, which Sluice's event keeps without
     * copying); otherwise the caller copies it.
     */
    Map<String, String> current() {
        if (copy != null) {
            return copy;
        }
        if (addedKey == null) {
            return base;
        }
        if (base.isEmpty()) {
            return Map.of(addedKey, addedValue);
        }
        return writable();
    }

    private Map<String, String> writable() {
        if (copy == null) {
            Map<String, String> c = new LinkedHashMap<>(Math.max(4, base.size() * 2 + 2));
            c.putAll(base);
            if (addedKey != null) {
                c.put(addedKey, addedValue);
                addedKey = null;
                addedValue = null;
            }
            copy = c;
        }
        return copy;
    }

    private Map<String, String> readable() {
        if (copy != null) {
            return copy;
        }
        return addedKey == null ? base : writable();
    }

    @Override
    public String get(Object key) {
        if (copy != null) {
            return copy.get(key);
        }
        if (addedKey != null && addedKey.equals(key)) {
            return addedValue;
        }
        return key == null ? null : base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        if (copy != null) {
            return copy.containsKey(key);
        }
        if (addedKey != null && addedKey.equals(key)) {
            return true;
        }
        return key != null && base.containsKey(key);
    }

    @Override
    public int size() {
        if (copy != null) {
            return copy.size();
        }
        return base.size() + (addedKey != null && addedIsNew ? 1 : 0);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public String put(String key, String value) {
        if (copy == null && key != null && value != null) {
            if (addedKey == null) {
                String previous = base.get(key);
                addedKey = key;
                addedValue = value;
                addedIsNew = previous == null;
                return previous;
            }
            if (addedKey.equals(key)) {
                String previous = addedValue;
                addedValue = value;
                return previous;
            }
        }
        return writable().put(key, value);
    }

    @Override
    public String remove(Object key) {
        return containsKey(key) ? writable().remove(key) : null;
    }

    @Override
    public void putAll(Map<? extends String, ? extends String> m) {
        if (!m.isEmpty()) {
            writable().putAll(m);
        }
    }

    @Override
    public void clear() {
        if (!isEmpty()) {
            writable().clear();
        }
    }

    /**
     * The entries; while the map is unchanged, an iterator over the original headers whose
     * {@code remove()} and entries' {@code setValue} copy the map first (so {@code keySet().removeIf},
     * {@code entrySet().removeIf} and in-place value changes work as on Flume's own map).
     */
    @Override
    public Set<Entry<String, String>> entrySet() {
        if (copy != null || addedKey != null) {
            return readable().entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public int size() {
                return HeaderMap.this.size();
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                if (copy != null || addedKey != null) {
                    return readable().entrySet().iterator();
                }
                Iterator<Entry<String, String>> original = base.entrySet().iterator(); // immutable: never changes
                return new Iterator<>() {
                    private String lastKey;

                    @Override
                    public boolean hasNext() {
                        return original.hasNext();
                    }

                    @Override
                    public Entry<String, String> next() {
                        Entry<String, String> e = original.next();
                        lastKey = e.getKey();
                        return new SimpleEntry<>(e) {
                            @Override
                            public String setValue(String value) {
                                HeaderMap.this.put(getKey(), value);
                                return super.setValue(value);
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        if (lastKey == null) {
                            throw new IllegalStateException("remove() without next()");
                        }
                        HeaderMap.this.remove(lastKey);
                        lastKey = null;
                    }
                };
            }
        };
    }
}
