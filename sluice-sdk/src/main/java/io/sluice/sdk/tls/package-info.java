/**
 * Builds TLS contexts for avro clients, sinks and sources from Java key stores, with Apache
 * Flume's protocol and cipher-suite filters. Stateless and thread-safe.
 */
package io.sluice.sdk.tls;
