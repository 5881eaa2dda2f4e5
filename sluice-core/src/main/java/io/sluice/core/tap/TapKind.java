package io.sluice.core.tap;

import java.util.Locale;

/** What a tap shows: a source's events, a channel's committed puts, or a sink's committed takes. */
public enum TapKind {
    SOURCE("sources"),
    CHANNEL("channels"),
    SINK("sinks");

    private final String plural;

    TapKind(String plural) {
        this.plural = plural;
    }

    /** {@code source}, {@code channel} or {@code sink}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code sources}, {@code channels} or {@code sinks}, as in configuration keys. */
    public String plural() {
        return plural;
    }
}
