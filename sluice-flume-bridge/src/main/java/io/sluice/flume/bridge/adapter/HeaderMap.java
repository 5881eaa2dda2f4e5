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
 * change made through an iterator or an entry. Not thread-safe (one event, one thread).
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

    /**
     * The entries; while the map is unchanged, an iterator over the original headers whose
     * {@code remove()} and entries' {@code setValue} copy the map first (so {@code keySet().removeIf},
     * {@code entrySet().removeIf} and in-place value changes work as on Flume's own map).
     */
    @Override
    public Set<Entry<String, String>> entrySet() {
        if (copied) {
            return current.entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public int size() {
                return HeaderMap.this.size();
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                if (copied) {
                    return current.entrySet().iterator();
                }
                Iterator<Entry<String, String>> base = current.entrySet().iterator(); // immutable: never changes
                return new Iterator<>() {
                    private String lastKey;

                    @Override
                    public boolean hasNext() {
                        return base.hasNext();
                    }

                    @Override
                    public Entry<String, String> next() {
                        Entry<String, String> e = base.next();
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
