/**
 * The {@code netcat} source: a TCP server where every newline-terminated line becomes one event.
 * Lines are decoded on Netty's I/O threads and handed to the channel processor on a separate
 * executor group, so a full channel (which blocks for its keep-alive) never stalls the I/O loop.
 * Each connection's lines are processed and answered in order. Thread-safe.
 */
package io.sluice.core.source.netcat;
