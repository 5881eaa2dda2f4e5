package io.sluice.core.source.spooldir;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The typed configuration of one {@code spooldir} source; see {@link SpoolDirectorySourceFactory}
 * for the keys. Immutable.
 */
record SpoolSettings(
        Path spoolDir,
        String fileSuffix,
        boolean deleteImmediately,
        String fileHeaderKey,
        String basenameHeaderKey,
        Pattern includePattern,
        Pattern ignorePattern,
        Path trackerDir,
        boolean trackInTrackerDir,
        ConsumeOrder consumeOrder,
        long pollDelayMillis,
        boolean recursive,
        int maxBackoffMillis,
        int batchSize,
        Charset inputCharset,
        DecodeErrorPolicy decodeErrorPolicy,
        DeserializerType deserializer,
        int maxLineLength,
        Charset outputCharset,
        int maxBlobLength,
        AvroContainerDeserializer.SchemaType schemaType,
        SpoolDeserializerFactory plugin) {

    /** {@code consumeOrder}. */
    enum ConsumeOrder { OLDEST, YOUNGEST, RANDOM }

    /** {@code deserializer}. */
    enum DeserializerType { LINE, BLOB, AVRO, PLUGIN }

    SpoolSettings {
        requireNonNull(spoolDir, "spoolDir is null");
        requireNonNull(fileSuffix, "fileSuffix is null");
        requireNonNull(includePattern, "includePattern is null");
        requireNonNull(ignorePattern, "ignorePattern is null");
        requireNonNull(trackerDir, "trackerDir is null");
        requireNonNull(consumeOrder, "consumeOrder is null");
        requireNonNull(inputCharset, "inputCharset is null");
        requireNonNull(decodeErrorPolicy, "decodeErrorPolicy is null");
        requireNonNull(deserializer, "deserializer is null");
        requireNonNull(outputCharset, "outputCharset is null");
        requireNonNull(schemaType, "schemaType is null");
        if ((deserializer == DeserializerType.PLUGIN) != (plugin != null)) {
            throw new IllegalArgumentException("plugin: " + plugin + " (expected: set exactly when deserializer is PLUGIN)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: > 0)");
        }
    }
}
