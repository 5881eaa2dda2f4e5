/**
 * {@code sluice shell}: the rtsql shell over an in-process engine ({@code --local}). Interactive
 * (JLine: history, completion of keywords and stream names, statements spanning lines up to
 * {@code ;}, control commands {@code \f \w &#92;u \d \D \set \h \q}, rows of watched flows printed above
 * the prompt) or non-interactive ({@code -e} / {@code -f}: statements in order, only result rows
 * on stdout, everything else on stderr, non-zero exit status on any error).
 *
 * <p>{@link io.sluice.cli.shell.ScriptRunner} and {@link io.sluice.cli.shell.InteractiveShell} are
 * used from one thread; rows of flows arrive on the engine's threads and are handed over through
 * thread-safe queues or JLine's {@code printAbove}, which is thread-safe.
 */
package io.sluice.cli.shell;
