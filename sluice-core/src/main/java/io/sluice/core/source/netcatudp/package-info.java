/**
 * The {@code netcatudp} source: every line of every UDP datagram becomes an event. UDP has no way
 * to answer, so events the channel refuses are counted ({@code ChannelWriteFail}) and logged at
 * WARN (rate-limited). Datagrams are handed to the channel processor on an executor group, off
 * Netty's I/O thread. Thread-safe.
 */
package io.sluice.core.source.netcatudp;
