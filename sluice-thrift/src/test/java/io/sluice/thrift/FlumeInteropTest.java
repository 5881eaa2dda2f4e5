package io.sluice.thrift;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.ThriftRpcClient;
import io.sluice.sdk.thrift.ThriftProtocol;
import io.sluice.testing.FreePorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sluice's thrift components against Apache Flume 1.11's real ones, in both directions and in
 * both protocols: Flume's thrift client and Flume's thrift sink send to Sluice's thrift source;
 * Sluice's thrift client and sink send to Flume's thrift source. Counts are exact and every header
 * and body arrives intact.
 */
class FlumeInteropTest {

    private static List<Map<String, String>> headers(List<Event> events) {
        return events.stream().map(Event::headers).toList();
    }

    private static List<byte[]> bodies(List<Event> events) {
        return events.stream().map(Event::body).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"compact", "binary"})
    void flumeThriftClientReachesSluiceSource(String protocol) throws Exception {
        List<Event> sent = Receiver.numbered("flume-client-" + protocol, 1201);
        try (Receiver r = Receiver.start()) {
            FlumePeers.sendWithFlumeClient(r.port(), protocol, 100, headers(sent), bodies(sent));
            assertThat(r.drain()).containsExactlyElementsOf(sent);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compact", "binary"})
    void flumeThriftSinkReachesSluiceSource(String protocol) throws Exception {
        List<Event> sent = Receiver.numbered("flume-sink-" + protocol, 950);
        try (Receiver r = Receiver.start()) {
            FlumePeers.drainWithFlumeSink(r.port(), protocol, headers(sent), bodies(sent));
            assertThat(r.drain()).containsExactlyElementsOf(sent);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compact", "binary"})
    void sluiceClientAndSinkReachFlumeThriftSource(String protocol) throws Exception {
        int port = FreePorts.tcp();
        List<Event> viaClient = Receiver.numbered("sluice-client-" + protocol, 1001);
        List<Event> viaSink = Receiver.numbered("sluice-sink-" + protocol, 500);
        RpcClientConfig config = RpcClientConfig.builder().clientType(RpcClientConfig.THRIFT).host("127.0.0.1", port)
                .batchSize(100).thriftProtocol(ThriftProtocol.parse(protocol)).build();
        try (FlumePeers.FlumeThriftSource flume = new FlumePeers.FlumeThriftSource(port, protocol);
                Receiver local = Receiver.start()) {
            try (ThriftRpcClient c = new ThriftRpcClient(config)) {
                c.append(viaClient.get(0));
                c.appendBatch(viaClient.subList(1, viaClient.size()));
            }
            local.source.getChannelProcessor().processEventBatch(viaSink);
            ThriftSink sink = new ThriftSink("k1", "a1.sinks.k1", config.toBuilder().maxConnections(1).build(), 0,
                    new SinkCounter("k1"));
            sink.setChannel(local.channel);
            sink.start();
            try {
                for (int i = 0; i < 5; i++) {
                    sink.process();
                }
            } finally {
                sink.stop();
            }
            assertThat(local.channel.size()).isZero();
            List<Event> got = new ArrayList<>();
            for (Map.Entry<Map<String, String>, byte[]> e : flume.drain()) {
                got.add(Event.of(e.getKey(), e.getValue()));
            }
            List<Event> expected = new ArrayList<>(viaClient);
            expected.addAll(viaSink);
            assertThat(got).containsExactlyElementsOf(expected);
        }
    }
}
