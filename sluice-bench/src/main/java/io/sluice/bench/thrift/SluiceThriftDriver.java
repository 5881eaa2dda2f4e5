package io.sluice.bench.thrift;

import io.sluice.api.Event;
import io.sluice.bench.avro.AvroHopScenario;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.RpcClientFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Sluice side's load: one thread with one {@code thrift} client (compact protocol), sending
 * the same batch of 100-byte events in a loop until the process is killed; each call waits for its
 * answer, as Apache Flume's thrift client does.
 *
 * <p>Usage: {@code SluiceThriftDriver host port batchSize [inflight, ignored]}
 */
public final class SluiceThriftDriver {
    private SluiceThriftDriver() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        byte[] body = new byte[AvroHopScenario.EVENT_BYTES];
        Arrays.fill(body, (byte) 'x');
        List<Event> events = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            events.add(Event.wrap(Map.of(), body));
        }
        RpcClientConfig config = RpcClientConfig.builder().clientType(RpcClientConfig.THRIFT).host(host, port)
                .batchSize(batch).build();
        while (true) {
            try (RpcClient client = RpcClientFactory.getInstance(config)) {
                System.out.println("sending batches of " + batch + " to " + host + ":" + port + " (thrift, compact)");
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
