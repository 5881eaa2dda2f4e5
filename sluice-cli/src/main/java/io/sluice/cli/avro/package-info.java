/**
 * {@code sluice avro-client}: sends lines from files or standard input to an avro source, as
 * Apache Flume's {@code flume-ng avro-client} does. Commands are created per invocation and are
 * not thread-safe.
 */
package io.sluice.cli.avro;
