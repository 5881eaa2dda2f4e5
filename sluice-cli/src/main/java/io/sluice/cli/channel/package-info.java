/**
 * The {@code sluice channel} commands. They only parse arguments and print; the reading logic
 * lives in {@code io.sluice.channel.file.inspect}. Commands are created per invocation and are not
 * shared between threads.
 */
package io.sluice.cli.channel;
