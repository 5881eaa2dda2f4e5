/**
 * What the metrics port serves besides the counters, for people watching a running agent: live
 * taps ({@code GET /tap}, behind a bearer token written to a file of mode 0600 at start), the
 * agent's topology ({@code GET /topology}), its recent problems ({@code GET /problems}) and the web
 * console (static assets from this jar). All of it is answered only to clients on the loopback
 * interface. Thread-safe unless a class says otherwise.
 */
package io.sluice.core.console;
