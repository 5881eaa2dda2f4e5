/**
 * The {@code jdbc} channel: events kept as rows of one table in a database reached through JDBC
 * (embedded Derby by default), each channel transaction one database transaction. {@link
 * io.sluice.channel.jdbc.JdbcChannel} is thread-safe (one lock guards its in-memory queue of row
 * numbers; {@link io.sluice.channel.jdbc.ConnectionPool} is thread-safe); each transaction belongs to
 * the thread that opened it.
 */
package io.sluice.channel.jdbc;
