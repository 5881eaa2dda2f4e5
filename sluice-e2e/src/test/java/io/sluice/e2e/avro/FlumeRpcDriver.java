package io.sluice.e2e.avro;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flume.Event;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;

/**
 * Runs in a child JVM on Apache Flume's own classpath: sends {@code count} events through Flume's
 * {@code RpcClientFactory} client, in batches of 100 plus single appends, each with headers
 * {@code seq}, {@code origin} and a non-ASCII one. Prints {@code SENT <n>} and exits 0, or prints
 * the failure and exits 1.
 *
 * <p>Usage: {@code FlumeRpcDriver host port count compression-type}
 */
public final class FlumeRpcDriver {
    private FlumeRpcDriver() {
    }

    static Map<String, String> headers(int i) {
        Map<String, String> h = new HashMap<>();
        h.put("seq", Integer.toString(i));
        h.put("origin", "flume-rpc");
        h.put("note", "caf\u00e9-" + (i % 3));
        return h;
    }

    static String body(int i) {
        return "flume-event-" + i;
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("hosts", "h1");
        p.setProperty("hosts.h1", args[0] + ":" + args[1]);
        p.setProperty("batch-size", "100");
        p.setProperty("compression-type", args[3]);
        int count = Integer.parseInt(args[2]);
        RpcClient client = RpcClientFactory.getInstance(p);
        try {
            List<Event> batch = new ArrayList<>();
            int singles = Math.min(10, count);
            for (int i = 0; i < count - singles; i++) {
                batch.add(EventBuilder.withBody(body(i).getBytes(StandardCharsets.UTF_8), headers(i)));
                if (batch.size() == 100) {
                    client.appendBatch(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                client.appendBatch(batch);
            }
            for (int i = count - singles; i < count; i++) {
                client.append(EventBuilder.withBody(body(i).getBytes(StandardCharsets.UTF_8), headers(i)));
            }
            System.out.println("SENT " + count);
        } catch (Exception e) {
            e.printStackTrace(System.out);
            System.exit(1);
        } finally {
            client.close();
        }
    }
}
