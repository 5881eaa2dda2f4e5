/**
 * Apache Flume's configuration filters ({@code <agent>.configfilters}): a value written
 * {@code ${name['key']}} is looked up through the filter {@code name} when the configuration is
 * read. {@code env} reads an environment variable, {@code external} runs a command (for secrets).
 * A filter instance serves one reading of a configuration and is used by that one thread.
 */
package io.sluice.core.config.filter;
