/**
 * The file and log source scenarios, Sluice against Apache Flume 1.11, each workload to a
 * {@code null} sink: {@code files} prints one final line per source ({@code taildir}: ten files of
 * 100-byte lines; {@code spooldir}; {@code syslogtcp}), and {@code taildir} runs that one alone.
 * Not thread-safe; a benchmark runs one measurement at a time.
 */
package io.sluice.bench.files;
