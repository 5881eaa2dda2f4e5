package io.sluice.bench.avro;

import io.sluice.api.Event;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.RpcClientFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Sluice side's load: one thread with one {@code default} client, sending the same batch of
 * 100-byte events in a loop until the process is killed. With {@code inflight > 1} each call hands
 * the client {@code inflight} batches, which it sends back to back on its connection and awaits in
 * order (every batch is still one request and one channel transaction at the source).
 *
 * <p>Usage: {@code SluiceAvroDriver host port batchSize inflight}
 */
public final class SluiceAvroDriver {
    private SluiceAvroDriver() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int inflight = Integer.parseInt(args[3]);
        byte[] body = new byte[AvroHopScenario.EVENT_BYTES];
        Arrays.fill(body, (byte) 'x');
        List<Event> events = new ArrayList<>(batch * inflight);
        for (int i = 0; i < batch * inflight; i++) {
            events.add(Event.wrap(Map.of(), body));
        }
        RpcClientConfig config = RpcClientConfig.builder().host(host, port).batchSize(batch).build();
        while (true) {
            try (RpcClient client = RpcClientFactory.getInstance(config)) {
                System.out.println("connected to " + host + ":" + port + ", sending batches of " + batch
                        + " (" + inflight + " in flight)");
                while (true) {
                    client.appendBatch(events);
                }
            } catch (Exception e) {
                System.out.println("send failed, retrying in 100 ms: " + e.getMessage());
                Thread.sleep(100);
            }
        }
    }
}
