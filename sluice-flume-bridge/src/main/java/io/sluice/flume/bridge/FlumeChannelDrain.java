package io.sluice.flume.bridge;

import io.sluice.api.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Implemented by the adapter side (defined by the plugin class loader, so it can use Apache
 * Flume's {@code FileChannel}): opens a Flume file channel in directories it may change (a copy),
 * and hands every event it holds, oldest first, to {@code out} in batches. A batch is taken from
 * the Flume channel only after {@code out} returned; when {@code out} throws, the drain stops and
 * the exception propagates. Not thread-safe: one drain at a time per instance.
 */
public interface FlumeChannelDrain {

    /**
     * @param capacity the Flume channel's capacity (what its checkpoint was written for)
     * @param batchSize the most events per batch
     * @return how many events were handed to {@code out}
     * @throws Exception when Flume cannot open the channel; the message says why
     */
    long drain(Path checkpointDir, List<Path> dataDirs, int capacity, int batchSize, Consumer<List<Event>> out)
            throws Exception;
}
