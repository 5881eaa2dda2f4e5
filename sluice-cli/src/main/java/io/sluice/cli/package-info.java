/**
 * The {@code sluice} command line: {@link io.sluice.cli.Main} and its subcommands ({@code agent},
 * {@code validate}, {@code version}, {@code demo}; other packages add theirs to the explicit list
 * in {@code Main}). Each command object is created, filled by picocli and run once, on the main
 * thread; none is thread-safe. Values ({@link io.sluice.cli.MetricsSettings}) are immutable.
 */
package io.sluice.cli;
