/**
 * The {@code http} source: a Netty HTTP server that turns each POST into a batch of events through
 * a pluggable {@link io.sluice.core.source.http.HttpEventDecoder} (by default Apache Flume's
 * JSONHandler format). A request is answered 200 only after its whole batch is committed; 400 when
 * it cannot be decoded (nothing of it is committed); 503 when the channel is full; 413 when it is
 * larger than {@code maxRequestBytes}, refused before it is buffered. Decoding and committing run
 * on an executor group off Netty's I/O threads. All classes are thread-safe.
 */
package io.sluice.core.source.http;
