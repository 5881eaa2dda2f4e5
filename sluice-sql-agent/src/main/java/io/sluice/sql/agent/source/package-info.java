/**
 * The agent source {@code type = rtsql}: it runs {@code SELECT * FROM <stream>} on an rtsql server
 * ({@code POST /query-stream}) and turns every row into an event whose body is the row as an Avro
 * binary record and whose header {@code flume.avro.schema.literal} holds the record's schema, so
 * Avro-aware sinks (Sluice's and Apache Flume's) can read it. {@link
 * io.sluice.sql.agent.source.RtsqlSource} is thread-safe; {@link io.sluice.sql.agent.source.RowEncoder}
 * is used by one thread.
 */
package io.sluice.sql.agent.source;
