/**
 * The {@code file-channel} benchmark scenario and its probes (disk fsync loop, channel commit
 * latency, recovery time). Each probe runs on the calling thread plus the threads it starts and
 * joins; nothing here is shared between threads afterwards.
 */
package io.sluice.bench.filechannel;
