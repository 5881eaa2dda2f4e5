/**
 * Built-in providers of {@code FROM SOURCE} streams: {@code seq} and {@code netcat}. Thread-safe;
 * each opened source runs on its own daemon threads until closed.
 */
package io.sluice.sql.source;
