/**
 * Read-only inspection of a file channel's directories, behind {@code sluice channel inspect}:
 * {@link io.sluice.channel.file.inspect.ChannelInspector} never writes, locks or truncates a file.
 * Stateless and thread-safe; reports are immutable.
 */
package io.sluice.channel.file.inspect;
