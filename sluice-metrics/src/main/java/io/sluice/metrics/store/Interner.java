package io.sluice.metrics.store;

import java.util.concurrent.ConcurrentHashMap;

/** Shares one instance of each label name and value among series. Thread-safe. */
final class Interner {
    private final ConcurrentHashMap<String, String> strings = new ConcurrentHashMap<>();

    String intern(String s) {
        String prev = strings.putIfAbsent(s, s);
        return prev == null ? s : prev;
    }
}
