/**
 * File-reading scenarios, Apache Flume 1.11 and Sluice side by side: {@code taildir} (ten files of
 * 100-byte lines read by the TAILDIR source into a null sink). Stateless; thread-safe.
 */
package io.sluice.bench.files;
