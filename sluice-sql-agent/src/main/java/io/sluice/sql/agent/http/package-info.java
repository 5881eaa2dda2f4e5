/**
 * A small HTTP/1.1 client for the rtsql server's node and query protocol: one connection per
 * {@link io.sluice.sql.agent.http.HttpConnection}, plain or TLS, request bodies with a length,
 * responses read as a length-delimited, chunked or until-close stream. It exists (instead of the
 * JDK's {@code HttpClient}) because the protocol's long-lived streams need a socket read timeout
 * and a close that reliably unblocks a reading thread. A connection is used by one thread at a
 * time; {@link io.sluice.sql.agent.http.HttpConnection#close()} may be called from any thread.
 */
package io.sluice.sql.agent.http;
