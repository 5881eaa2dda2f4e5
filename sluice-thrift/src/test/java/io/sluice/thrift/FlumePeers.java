package io.sluice.thrift;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flume.Channel;
import org.apache.flume.ChannelSelector;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.Transaction;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.sink.ThriftSink;
import org.apache.flume.source.ThriftSource;

import static org.awaitility.Awaitility.await;

/**
 * Apache Flume 1.11's real thrift client, sink and source, run in this JVM from Flume's own jars
 * (flume-ng-sdk, flume-ng-core, libthrift 0.14.1). Events cross this class as headers and bodies
 * so that the tests never mix Flume's and Sluice's event types.
 */
final class FlumePeers {
    private FlumePeers() {
    }

    /** Sends with Flume's {@code RpcClientFactory} client of {@code client.type = thrift}. */
    static void sendWithFlumeClient(int port, String protocol, int batchSize, List<Map<String, String>> headers,
            List<byte[]> bodies) throws Exception {
        Properties p = new Properties();
        p.setProperty("client.type", "thrift");
        p.setProperty("hosts", "h1");
        p.setProperty("hosts.h1", "127.0.0.1:" + port);
        p.setProperty("protocol", protocol);
        p.setProperty("batch-size", String.valueOf(batchSize));
        RpcClient client = RpcClientFactory.getInstance(p);
        try {
            client.append(EventBuilder.withBody(bodies.get(0), headers.get(0)));
            client.appendBatch(toFlume(headers.subList(1, headers.size()), bodies.subList(1, bodies.size())));
        } finally {
            client.close();
        }
    }

    /** Runs Flume's ThriftSink over a Flume memory channel holding the events until the channel is empty. */
    static void drainWithFlumeSink(int port, String protocol, List<Map<String, String>> headers, List<byte[]> bodies)
            throws Exception {
        MemoryChannel channel = new MemoryChannel();
        channel.setName("flume-c1");
        Configurables.configure(channel, context("capacity", "100000", "transactionCapacity", "10000"));
        channel.start();
        List<Event> events = toFlume(headers, bodies);
        Transaction tx = channel.getTransaction();
        tx.begin();
        for (Event e : events) {
            channel.put(e);
        }
        tx.commit();
        tx.close();
        ThriftSink sink = new ThriftSink();
        sink.setName("flume-k1");
        Configurables.configure(sink, context("hostname", "127.0.0.1", "port", String.valueOf(port),
                "batch-size", "100", "protocol", protocol));
        sink.setChannel(channel);
        sink.start();
        try {
            // process() answers BACKOFF when a batch failed; poll until Flume's sink has emptied the channel
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
                sink.process();
                return channelSize(channel) == 0;
            });
        } finally {
            sink.stop();
            channel.stop();
        }
    }

    private static int channelSize(Channel channel) {
        Transaction tx = channel.getTransaction();
        tx.begin();
        List<Event> taken = new ArrayList<>();
        try {
            Event e = channel.take();
            if (e != null) {
                taken.add(e);
            }
            return taken.size();
        } finally {
            tx.rollback();
            tx.close();
        }
    }

    /** Flume's ThriftSource in front of a Flume memory channel. */
    static final class FlumeThriftSource implements AutoCloseable {
        private final ThriftSource source = new ThriftSource();
        private final MemoryChannel channel = new MemoryChannel();

        FlumeThriftSource(int port, String protocol) {
            channel.setName("flume-c1");
            Configurables.configure(channel, context("capacity", "100000", "transactionCapacity", "10000"));
            channel.start();
            ChannelSelector selector = new ReplicatingChannelSelector();
            selector.setChannels(List.of(channel));
            source.setName("flume-r1");
            source.setChannelProcessor(new ChannelProcessor(selector));
            Configurables.configure(source, context("bind", "127.0.0.1", "port", String.valueOf(port),
                    "protocol", protocol));
            source.start();
        }

        /** Takes every event Flume's channel holds: each as its headers and body. */
        List<Map.Entry<Map<String, String>, byte[]>> drain() {
            List<Map.Entry<Map<String, String>, byte[]>> out = new ArrayList<>();
            while (true) {
                Transaction tx = channel.getTransaction();
                tx.begin();
                Event e = channel.take();
                tx.commit();
                tx.close();
                if (e == null) {
                    return out;
                }
                out.add(Map.entry(new HashMap<>(e.getHeaders()), e.getBody()));
            }
        }

        @Override
        public void close() {
            source.stop();
            channel.stop();
        }
    }

    static List<Event> toFlume(List<Map<String, String>> headers, List<byte[]> bodies) {
        List<Event> out = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            out.add(EventBuilder.withBody(bodies.get(i), headers.get(i)));
        }
        return out;
    }

    private static Context context(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Context(m);
    }
}
