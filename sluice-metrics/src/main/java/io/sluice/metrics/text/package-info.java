/**
 * The Prometheus text and OpenMetrics exposition formats, read and written, with Artimon's
 * boolean and string values. The classes are stateless or confined to one thread.
 */
package io.sluice.metrics.text;
