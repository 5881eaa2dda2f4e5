/**
 * The {@code files} scenario: Sluice against Apache Flume 1.11 on the file and log sources
 * ({@code spooldir}, {@code syslogtcp}; the lead adds {@code taildir} in {@link io.sluice.bench.files.FilesScenario}),
 * each workload to a {@code null} sink, one final line per source. Not thread-safe; a benchmark
 * runs one measurement at a time.
 */
package io.sluice.bench.files;
