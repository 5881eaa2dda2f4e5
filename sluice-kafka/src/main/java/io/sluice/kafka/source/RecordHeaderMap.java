package io.sluice.kafka.source;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The headers of one event made from a Kafka record: an immutable map over a names array the source
 * shares between all its events of one layout and this event's own values array. It costs two small
 * objects per event where a {@code LinkedHashMap} costs a table and one node per header. Iterates in
 * the names' order; {@code get} compares the few names in turn. No name or value is null, no name
 * appears twice (the source checks both). Every method that would change it throws.
 */
final class RecordHeaderMap extends AbstractMap<String, String> {
    private final String[] names;
    private final String[] values;
    private Set<Map.Entry<String, String>> entries;

    /** Takes both arrays as they are: {@code names} is shared and never changed, {@code values} is this map's own. */
    RecordHeaderMap(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean isEmpty() {
        return names.length == 0;
    }

    @Override
    public String get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    private int indexOf(Object key) {
        if (key == null) {
            return -1;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        Set<Map.Entry<String, String>> e = entries;
        if (e == null) {
            e = new Entries();
            entries = e;
        }
        return e;
    }

    private final class Entries extends AbstractSet<Map.Entry<String, String>> {
        @Override
        public int size() {
            return names.length;
        }

        @Override
        public Iterator<Map.Entry<String, String>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < names.length;
                }

                @Override
                public Map.Entry<String, String> next() {
                    if (next >= names.length) {
                        throw new NoSuchElementException();
                    }
                    int i = next++;
                    return new SimpleImmutableEntry<>(names[i], values[i]);
                }
            };
        }
    }

    /**
     * The names of one header layout, checked once: none null, none twice. Answers null when a name
     * appears twice, so the caller builds those events' headers another way.
     */
    static String[] layout(String... names) {
        for (int i = 0; i < names.length; i++) {
            requireNonNull(names[i], "header name is null");
            for (int j = 0; j < i; j++) {
                if (names[j].equals(names[i])) {
                    return null;
                }
            }
        }
        return names;
    }
}
