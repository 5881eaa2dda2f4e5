/**
 * Where an agent's configuration comes from: files ({@link io.sluice.core.config.source.FileConfigSource}),
 * HTTP(S) URLs with optional basic authentication ({@link io.sluice.core.config.source.HttpConfigSource}),
 * or any other {@link io.sluice.core.config.source.ConfigSource} (the launcher adds ZooKeeper).
 * Several sources are merged in the order given, later keys overriding earlier ones, as Apache Flume
 * 1.10+ merges its {@code --conf-file}/{@code --conf-uri} list ({@link io.sluice.core.config.source.ConfigSources}).
 * Sources are immutable values except for the resources a source holds open; each says whether it
 * is thread-safe.
 */
package io.sluice.core.config.source;
