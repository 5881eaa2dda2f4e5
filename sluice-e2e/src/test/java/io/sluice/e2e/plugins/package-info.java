/**
 * End-to-end tests of Apache Flume plugins: jars compiled against Flume 1.11's API, installed in a
 * {@code plugins.d} directory and run by a real {@code sluice agent} process, and by a real Apache
 * Flume agent for comparison. Not thread-safe: each test owns its processes.
 */
package io.sluice.e2e.plugins;
