package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import io.sluice.flume.bridge.FlumeChannelDrain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flume.Context;
import org.apache.flume.Transaction;
import org.apache.flume.channel.file.FileChannel;
import org.apache.flume.channel.file.FileChannelConfiguration;
import org.apache.flume.conf.Configurables;

/**
 * Drains an Apache Flume 1.11 file channel with Flume's own {@code FileChannel}: its replay
 * (checkpoint, then the logs after it; a full replay of the logs when the checkpoint is missing or
 * does not match) decides which events the channel still held, exactly as Flume would on restart.
 * The directories are changed (Flume writes a checkpoint and take records), so the caller passes a
 * copy. Each batch is one Flume transaction, committed after the caller took the batch.
 */
public final class FlumeFileChannelDrain implements FlumeChannelDrain {

    public FlumeFileChannelDrain() {
    }

    @Override
    public long drain(Path checkpointDir, List<Path> dataDirs, int capacity, int batchSize, Consumer<List<Event>> out)
            throws Exception {
        // Flume refuses a transactionCapacity above the capacity
        int perTransaction = Math.min(batchSize, capacity);
        FileChannel channel = new FileChannel();
        channel.setName("sluice-import");
        Context context = new Context();
        context.put(FileChannelConfiguration.CHECKPOINT_DIR, checkpointDir.toString());
        context.put(FileChannelConfiguration.DATA_DIRS,
                dataDirs.stream().map(Path::toString).collect(Collectors.joining(",")));
        context.put(FileChannelConfiguration.CAPACITY, Integer.toString(capacity));
        context.put(FileChannelConfiguration.TRANSACTION_CAPACITY, Integer.toString(perTransaction));
        context.put(FileChannelConfiguration.USE_DUAL_CHECKPOINTS, "false");
        context.put(FileChannelConfiguration.CHECKPOINT_INTERVAL, Long.toString(3_600_000L));
        context.put(FileChannelConfiguration.MINIMUM_REQUIRED_SPACE, Long.toString(1024L * 1024));
        context.put(FileChannelConfiguration.KEEP_ALIVE, "0");
        Configurables.configure(channel, context);
        channel.start();
        try {
            if (!channel.isOpen()) {
                // getTransaction() throws with Flume's own reason (replay failure, corrupt log, ...)
                channel.getTransaction();
                throw new IllegalStateException("Apache Flume's file channel did not open");
            }
            long moved = 0;
            while (true) {
                Transaction tx = channel.getTransaction();
                tx.begin();
                try {
                    List<Event> batch = new ArrayList<>(Math.min(perTransaction, 1024));
                    for (int i = 0; i < perTransaction; i++) {
                        org.apache.flume.Event e = channel.take();
                        if (e == null) {
                            break;
                        }
                        batch.add(Events.toSluice(e));
                    }
                    if (batch.isEmpty()) {
                        tx.commit();
                        return moved;
                    }
                    out.accept(batch);
                    tx.commit();
                    moved += batch.size();
                } catch (RuntimeException | Error e) {
                    tx.rollback();
                    throw e;
                } finally {
                    tx.close();
                }
            }
        } finally {
            channel.stop();
        }
    }
}
