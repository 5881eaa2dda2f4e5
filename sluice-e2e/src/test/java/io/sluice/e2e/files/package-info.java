/**
 * End-to-end tests of the file-reading sources with a real agent process: a spool directory read
 * into a durable channel while the agent is killed with {@code kill -9}. Each test owns its
 * processes and directories.
 */
package io.sluice.e2e.files;
