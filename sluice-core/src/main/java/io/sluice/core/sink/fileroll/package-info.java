/**
 * The {@code file_roll} sink: writes events into a directory, starting a new file every
 * {@code sink.rollInterval} seconds, through a configurable event serializer. A take is committed
 * only after its batch is written, flushed and (by default) forced to disk. The sink is driven by
 * one runner thread; {@link io.sluice.core.sink.fileroll.RollingFileSink#stop()} may come from
 * another thread and is serialised with {@code process()} by the sink's monitor.
 */
package io.sluice.core.sink.fileroll;
