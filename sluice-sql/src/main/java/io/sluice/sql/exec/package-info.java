/**
 * Physical operators (filter, project, windowed aggregate, windowed join, output) and their compact
 * state. Operators are not thread-safe: a flow drives them under its lock, one call at a time.
 */
package io.sluice.sql.exec;
