/**
 * HTTP pieces every HTTP endpoint of an agent shares, sources and the agent's own endpoints alike:
 * a request decoder strict about framing ({@link io.sluice.core.http.StrictHttpRequestDecoder}), a
 * guard that refuses ambiguous requests and closes their connection
 * ({@link io.sluice.core.http.HttpFramingGuard}), and a small non-blocking server for fixed GET
 * endpoints such as {@code /metrics} ({@link io.sluice.core.http.HttpEndpointServer}). The server
 * is thread-safe; the per-connection handlers are used on their connection's event loop only.
 */
package io.sluice.core.http;
