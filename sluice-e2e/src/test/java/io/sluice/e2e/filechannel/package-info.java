/**
 * End-to-end tests of the durable file channel with a real agent process: {@code kill -9} at random
 * moments, and a small file system that fills up. Each test owns its processes and directories.
 */
package io.sluice.e2e.filechannel;
