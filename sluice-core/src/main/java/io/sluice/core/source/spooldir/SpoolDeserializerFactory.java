package io.sluice.core.source.spooldir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a {@link SpoolDeserializer} of a plugin for one spooled file. The spooldir source asks the
 * registry's resolvers for one when {@code deserializer} names a class that is none of its own
 * (the Flume plugin bridge answers for an Apache Flume {@code EventDeserializer$Builder}); the
 * factory is created once, when the configuration is read, and must be thread-safe.
 */
public interface SpoolDeserializerFactory {

    /**
     * A deserializer reading {@code input}, positioned at the start of {@code file}. The source
     * then calls {@link SpoolDeserializer#reset} with the last committed mark when it resumes a
     * file; the deserializer closes {@code input} when it is closed.
     */
    SpoolDeserializer open(Path file, DecodingReader input) throws IOException;
}
