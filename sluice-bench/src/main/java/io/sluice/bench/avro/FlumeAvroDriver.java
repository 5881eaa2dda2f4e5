package io.sluice.bench.avro;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Apache Flume side's load, run on Flume's own classpath: one thread (or {@code clients} threads,
 * each with its own connection) with one client from
 * {@code org.apache.flume.api.RpcClientFactory.getDefaultInstance(host, port, batchSize)}, sending
 * the same batch of 100-byte events ({@code EventBuilder.withBody}) in a loop until killed. Flume's
 * API is called through reflection so that this module needs no Flume jar to compile; the cost is
 * one reflective call per batch.
 *
 * <p>Usage: {@code FlumeAvroDriver host port batchSize [clients]}
 */
public final class FlumeAvroDriver {
    private FlumeAvroDriver() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        for (int c = 1; c < clients; c++) {
            Thread t = new Thread(() -> {
                try {
                    send(host, port, batch);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "flume-client-" + c);
            t.setDaemon(true);
            t.start();
        }
        send(host, port, batch);
    }

    private static void send(String host, int port, int batch) throws Exception {
        send(host, port, batch, "getDefaultInstance");
    }

    /**
     * Sends with the client {@code RpcClientFactory.<factoryMethod>(host, port, batchSize)} returns
     * ({@code getDefaultInstance} for avro, {@code getThriftInstance} for thrift), until killed.
     */
    public static void send(String host, int port, int batch, String factoryMethod) throws Exception {
        Class<?> factory = Class.forName("org.apache.flume.api.RpcClientFactory");
        Class<?> builder = Class.forName("org.apache.flume.event.EventBuilder");
        Method getInstance = factory.getMethod(factoryMethod, String.class, Integer.class, Integer.class);
        Method withBody = builder.getMethod("withBody", byte[].class);
        byte[] body = new byte[AvroHopScenario.EVENT_BYTES];
        Arrays.fill(body, (byte) 'x');
        List<Object> events = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            events.add(withBody.invoke(null, (Object) body));
        }
        while (true) {
            Object client = null;
            try {
                client = getInstance.invoke(null, host, port, batch);
                Method appendBatch = client.getClass().getMethod("appendBatch", List.class);
                System.out.println("connected to " + host + ":" + port + " (" + factoryMethod + "), sending batches of "
                        + batch);
                while (true) {
                    appendBatch.invoke(client, events);
                }
            } catch (InvocationTargetException e) {
                System.out.println("send failed, retrying in 100 ms: " + e.getCause());
                if (client != null) {
                    client.getClass().getMethod("close").invoke(client);
                }
                Thread.sleep(100);
            }
        }
    }
}
