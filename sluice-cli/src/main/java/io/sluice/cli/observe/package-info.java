/**
 * The commands that watch a running agent through its metrics port: {@code sluice top} (a live
 * table of rates, fill, errors and latency) and {@code sluice tap} (the events passing one
 * component). Commands are used by one thread; the renderers are stateless.
 */
package io.sluice.cli.observe;
