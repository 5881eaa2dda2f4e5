package io.sluice.thrift;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sdk.BatchRefusedException;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.RpcClientFactory;
import io.sluice.sdk.ThriftRpcClient;
import io.sluice.sdk.thrift.ThriftProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sluice's thrift client and sink against Sluice's thrift source over real sockets. */
class ThriftRoundTripTest {

    private static RpcClientConfig client(int port, ThriftProtocol protocol, int batch) {
        return RpcClientConfig.builder().clientType(RpcClientConfig.THRIFT).host("127.0.0.1", port).batchSize(batch)
                .thriftProtocol(protocol).build();
    }

    @ParameterizedTest
    @EnumSource(ThriftProtocol.class)
    void clientSendsAppendAndSplitBatchesWithHeadersAndBodiesIntact(ThriftProtocol protocol) throws Exception {
        try (Receiver r = Receiver.start(); ThriftRpcClient c = new ThriftRpcClient(client(r.port(), protocol, 100))) {
            List<Event> sent = Receiver.numbered(protocol.key(), 1050);
            c.append(sent.get(0));
            c.appendBatch(sent.subList(1, sent.size())); // 11 calls of at most 100
            c.appendBatch(List.of());
            assertThat(r.drain()).containsExactlyElementsOf(sent);
            assertThat(r.counter(SourceCounter.APPEND_RECEIVED)).isEqualTo(1);
            assertThat(r.counter(SourceCounter.APPEND_BATCH_ACCEPTED)).isEqualTo(11);
            assertThat(r.counter(SourceCounter.EVENT_ACCEPTED)).isEqualTo(1050);
        }
    }

    @Test
    void factoryBuildsThriftClientFromFlumeProperties() throws Exception {
        try (Receiver r = Receiver.start()) {
            Properties p = new Properties();
            p.setProperty("client.type", "thrift");
            p.setProperty("hosts", "h1");
            p.setProperty("hosts.h1", "127.0.0.1:" + r.port());
            p.setProperty("protocol", "binary");
            p.setProperty("batch-size", "7");
            try (RpcClient c = RpcClientFactory.getInstance(p)) {
                assertThat(c).isInstanceOf(ThriftRpcClient.class);
                assertThat(c.getBatchSize()).isEqualTo(7);
                c.appendBatch(Receiver.numbered("props", 20));
            }
            assertThat(r.drain()).containsExactlyElementsOf(Receiver.numbered("props", 20));
        }
    }

    @Test
    void concurrentCallersShareThePoolAndEveryEventArrivesOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Receiver r = Receiver.start();
                ThriftRpcClient c = new ThriftRpcClient(client(r.port(), ThriftProtocol.COMPACT, 50).toBuilder()
                        .maxConnections(3).build())) {
            List<Future<?>> done = new ArrayList<>();
            List<Event> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                List<Event> mine = Receiver.numbered("t" + t, 500);
                all.addAll(mine);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < mine.size(); i += 100) {
                        c.appendBatch(mine.subList(i, i + 100));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(r.drain()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(r.source.counter().get(SourceCounter.OPEN_CONNECTIONS)).isLessThanOrEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fullChannelAnswersFailedNeverOkAndTheClientKeepsItsConnection() throws Exception {
        try (Receiver r = Receiver.start(ThriftSourceConfig.plain("127.0.0.1", 0), 150);
                ThriftRpcClient c = new ThriftRpcClient(client(r.port(), ThriftProtocol.COMPACT, 100))) {
            c.appendBatch(Receiver.numbered("fits", 100));
            assertThatThrownBy(() -> c.appendBatch(Receiver.numbered("too-many", 100)))
                    .isInstanceOf(BatchRefusedException.class).hasMessageContaining("status FAILED");
            assertThat(r.channel.size()).isEqualTo(100); // nothing of the refused batch was committed
            assertThat(r.counter(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(1);
            assertThat(r.drain()).containsExactlyElementsOf(Receiver.numbered("fits", 100));
            c.appendBatch(Receiver.numbered("again", 100));
            assertThat(r.drain()).containsExactlyElementsOf(Receiver.numbered("again", 100));
        }
    }

    @Test
    void sinkDeliversInOrderCommitsOnlyOnOkAndRollsBackWhenTheNextHopIsFullOrDown() throws Exception {
        try (Receiver from = Receiver.start(); Receiver to = Receiver.start(ThriftSourceConfig.plain("127.0.0.1", 0),
                250)) {
            List<Event> sent = Receiver.numbered("sink", 300);
            from.source.getChannelProcessor().processEventBatch(sent);
            ThriftSink sink = new ThriftSink("k1", "a1.sinks.k1", client(to.port(), ThriftProtocol.BINARY, 100), 0,
                    new SinkCounter("k1"));
            sink.setChannel(from.channel);
            sink.start();
            try {
                sink.process();
                sink.process();
                // the third batch does not fit: FAILED, rolled back, still in the channel
                assertThatThrownBy(sink::process).hasMessageContaining("status FAILED");
                assertThat(from.channel.size()).isEqualTo(100);
                List<Event> got = new ArrayList<>(to.drain());
                sink.process();
                got.addAll(to.drain());
                assertThat(got).containsExactlyElementsOf(sent);
                to.source.stop();
                from.source.getChannelProcessor().processEventBatch(Receiver.numbered("down", 10));
                assertThatThrownBy(sink::process).hasMessageContaining("127.0.0.1:" + to.port());
                assertThat(from.channel.size()).isEqualTo(10);
            } finally {
                sink.stop();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ThriftProtocol.class)
    void sinkSplitsABatchOverMaxRequestBytesIntoRequestsTheNextAgentAccepts(ThriftProtocol protocol)
            throws Exception {
        long frameLimit = 8 * 1024;
        try (Receiver from = Receiver.start(); Receiver to = Receiver.start(ThriftSourceConfig.plain("127.0.0.1", 0)
                .withLimits(frameLimit, 10_000, 0), 10_000)) {
            List<Event> sent = Receiver.numbered("split", 500);
            from.source.getChannelProcessor().processEventBatch(sent);
            ThriftSink sink = new ThriftSink("k1", "a1.sinks.k1", client(to.port(), protocol, 500), 0, frameLimit,
                    new SinkCounter("k1"));
            sink.setChannel(from.channel);
            sink.start();
            try {
                sink.process();
                assertThat(to.drain()).containsExactlyElementsOf(sent);
                assertThat(from.channel.size()).isZero();
                assertThat(to.counter(SourceCounter.APPEND_BATCH_ACCEPTED)).isGreaterThan(1);
                assertThat(sink.counter().get(SinkCounter.BATCH_COMPLETE)).isEqualTo(1);
            } finally {
                sink.stop();
            }
        }
    }
}
