/**
 * The data-file case runner: SQL behaviour cases in the style of ksqlDB's query validation tests,
 * read from {@code src/test/resources/cases/*.json}. Each case holds statements, timestamped
 * input files, and the expected rows (as {@code --format csv} prints them) or the expected error
 * with its position. Every expected value was worked out by hand from the language reference, {@code docs/rtsql.md}.
 *
 * <p>Not thread-safe: each case runs on the test thread with its own engine and directory.
 */
package io.sluice.sql.cases;
