/**
 * The {@code http} sink: POSTs each event's body to one URL and decides, per response status, to
 * commit or roll back, to back off, and to count a success, with Apache Flume 1.11's keys. A sink
 * is called by one runner thread; {@link io.sluice.core.sink.http.StatusRules} is an immutable
 * value.
 */
package io.sluice.core.sink.http;
