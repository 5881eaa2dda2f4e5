/**
 * Event formats: parsers from event bodies to typed rows ({@code delimited}, {@code csv},
 * {@code regex}, {@code json}, {@code avro}), and the Avro encoding of rows. Immutable and
 * thread-safe.
 */
package io.sluice.sql.format;
