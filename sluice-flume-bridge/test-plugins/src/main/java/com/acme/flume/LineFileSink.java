package com.acme.flume;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Transaction;
import org.apache.flume.conf.BatchSizeSupported;
import org.apache.flume.conf.Configurable;
import org.apache.flume.instrumentation.SinkCounter;
import org.apache.flume.sink.AbstractSink;

/**
 * Appends one line per event to {@code file}: the headers sorted by name, a tab, the body. Takes
 * up to {@code batchSize} events per transaction, commits after the write reached the file, rolls
 * back on failure. Called by one runner thread.
 */
public class LineFileSink extends AbstractSink implements Configurable, BatchSizeSupported {
    private Path file;
    private int batchSize;
    private SinkCounter counter;

    @Override
    public void configure(Context context) {
        String f = context.getString("file");
        if (f == null) {
            throw new IllegalArgumentException("file is required");
        }
        file = Paths.get(f);
        batchSize = context.getInteger("batchSize", 100);
        if (counter == null) {
            counter = new SinkCounter(getName());
        }
    }

    @Override
    public long getBatchSize() {
        return batchSize;
    }

    @Override
    public synchronized void start() {
        counter.start();
        super.start();
    }

    @Override
    public synchronized void stop() {
        counter.stop();
        super.stop();
    }

    @Override
    public Status process() throws EventDeliveryException {
        Channel channel = getChannel();
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            StringBuilder lines = new StringBuilder();
            int n = 0;
            for (; n < batchSize; n++) {
                Event e = channel.take();
                if (e == null) {
                    break;
                }
                lines.append(new TreeMap<String, String>(e.getHeaders())).append('\t')
                        .append(new String(e.getBody(), StandardCharsets.UTF_8)).append('\n');
            }
            if (n == 0) {
                counter.incrementBatchEmptyCount();
                tx.commit();
                return Status.BACKOFF;
            }
            counter.addToEventDrainAttemptCount(n);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(lines.toString());
            }
            tx.commit();
            counter.addToEventDrainSuccessCount(n);
            return Status.READY;
        } catch (IOException | RuntimeException e) {
            tx.rollback();
            counter.incrementEventWriteFail();
            throw new EventDeliveryException("cannot append to " + file, e);
        } finally {
            tx.close();
        }
    }
}
