/**
 * Small pieces the built-in network and process sources share: rate-limited warnings, the
 * bind/port keys and Netty event loop groups. All classes are thread-safe.
 */
package io.sluice.core.source.support;
