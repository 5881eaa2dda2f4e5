/**
 * End-to-end tests that attack a real agent process the way a hostile or broken client or
 * configuration author would: smuggled HTTP requests, stalled and idle connections, too many
 * connections, a stalled metrics client, byte order marks, non-ASCII text and exploding
 * {@code ${}} references. Each starts the built distribution with {@code SluiceCli.startAgent}.
 */
package io.sluice.e2e.hostile;
