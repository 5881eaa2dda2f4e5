package io.sluice.core.config.source;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One place an agent's configuration is read from. {@link #read()} returns the current content;
 * the supervisor compares the raw bytes of successive reads to notice a change. A source that
 * can be told about changes (ZooKeeper) also calls the listener given to {@link #watch}.
 * Implementations must be safe to read from the supervisor's poller thread while another thread
 * closes them.
 */
public interface ConfigSource extends AutoCloseable {

    /** What was read: the raw bytes (to detect changes) and the properties they hold, in order. */
    record Content(byte[] raw, Map<String, String> properties) {
        public Content {
            raw = raw.clone();
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }
    }

    /** For messages, e.g. {@code file conf/flume.conf} or {@code http://host/agent.properties}. */
    String describe();

    /**
     * Reads the current content.
     *
     * @throws IOException with a message that says what failed and what to check
     */
    Content read() throws IOException;

    /**
     * Asks to be told when the content may have changed; sources that cannot tell (files, HTTP)
     * ignore it and are polled.
     */
    default void watch(Runnable listener) {
    }

    /** Releases what the source holds open (a ZooKeeper session); reading afterwards fails. */
    @Override
    default void close() {
    }
}
