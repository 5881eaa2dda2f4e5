/**
 * {@code sluice server}: the command that runs the rtsql server of module sluice-sql-server with
 * the agent's sources available to {@code FROM SOURCE} streams. Not thread-safe (picocli commands
 * run once, on the main thread).
 */
package io.sluice.cli.server;
