/**
 * Test helpers for the I/O components: a real configuration context, the real memory channel behind
 * the real channel processor, a hand-moved clock and free ephemeral ports. Not thread-safe unless
 * a class says so.
 */
package io.sluice.core.iotest;
