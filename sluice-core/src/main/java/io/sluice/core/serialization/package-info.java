/**
 * Event serializers: how a file-writing sink (file_roll, later hdfs) turns events into bytes.
 * {@link io.sluice.core.serialization.EventSerializer} writes to one output stream;
 * {@link io.sluice.core.serialization.EventSerializers} resolves a configured type name
 * ({@code text}, {@code header_and_text}, {@code avro_event}, Apache Flume's class names, or a
 * plugin's) to a builder. Builders and factories are immutable and thread-safe; a serializer is
 * used by one thread, the sink's runner.
 */
package io.sluice.core.serialization;
