package io.sluice.e2e.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that sends numbered events ({@code <prefix>-<i>}) to an avro source in batches and
 * retries each batch until the agent answers {@code OK}, so every event it counts as acknowledged
 * was committed by that agent. Used from one thread.
 */
final class Sender implements AutoCloseable {
    private final NettyRpcClient client;
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();

    Sender(int port) {
        client = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", port).batchSize(100)
                .connectTimeoutMillis(3000).requestTimeoutMillis(10_000).build());
    }

    static List<Event> events(String prefix, int from, int to) {
        List<Event> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(Event.of(Map.of("seq", Integer.toString(i)), (prefix + "-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Sends {@code prefix-from .. prefix-(to-1)}; each batch is retried for up to {@code patience}. */
    void send(String prefix, int from, int to, Duration patience) throws InterruptedException {
        for (int b = from; b < to; b += 100) {
            List<Event> batch = events(prefix, b, Math.min(to, b + 100));
            long deadline = System.nanoTime() + patience.toNanos();
            while (true) {
                try {
                    client.appendBatch(batch);
                    acked.addAndGet(batch.size());
                    break;
                } catch (EventDeliveryException e) {
                    retries.incrementAndGet();
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("batch at " + prefix + "-" + b + " not accepted within " + patience
                                + ": " + e.getMessage(), e);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    int acked() {
        return acked.get();
    }

    int retries() {
        return retries.get();
    }

    @Override
    public void close() {
        client.close();
    }
}
