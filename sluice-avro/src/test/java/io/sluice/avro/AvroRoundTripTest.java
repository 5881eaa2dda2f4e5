package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AvroRoundTripTest {
    @TempDir
    static Path dir;
    static TestKeystores stores;

    private AvroSource source;
    private final CollectingProcessor processor = new CollectingProcessor();

    @BeforeAll
    static void keys() throws Exception {
        stores = TestKeystores.create(dir);
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private AvroSource start(AvroSourceConfig config) {
        source = new AvroSource("r1", "a1.sources.r1", config, new SourceCounter("r1"));
        source.setChannelProcessor(processor);
        source.start();
        return source;
    }

    private RpcClientConfig.Builder client() {
        return RpcClientConfig.builder().host("127.0.0.1", source.port()).batchSize(50)
                .connectTimeoutMillis(10_000).requestTimeoutMillis(10_000);
    }

    private void sendAndCheck(RpcClientConfig config) throws Exception {
        List<Event> events = Events.numbered("rt", 230);
        try (RpcClient c = new NettyRpcClient(config)) {
            c.appendBatch(events.subList(0, 200));
            for (Event e : events.subList(200, 230)) {
                c.append(e);
            }
        }
        assertThat(processor.events()).containsExactlyElementsOf(events);
        SourceCounter counter = source.counter();
        assertThat(counter.get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(230);
        assertThat(counter.get(SourceCounter.APPEND_BATCH_ACCEPTED)).isEqualTo(4);
        assertThat(counter.get(SourceCounter.APPEND_ACCEPTED)).isEqualTo(30);
    }

    @Test
    void plainClientEventsArriveIntactAndInOrder() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0));
        sendAndCheck(client().build());
    }

    @Test
    void longListGoesOutAsManyPipelinedBatchesInOrder() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0));
        List<Event> events = Events.numbered("long", 2_017);
        try (RpcClient c = new NettyRpcClient(client().batchSize(40).build())) {
            c.appendBatch(events);
        }
        assertThat(processor.events()).containsExactlyElementsOf(events);
        assertThat(source.counter().get(SourceCounter.APPEND_BATCH_ACCEPTED)).isEqualTo(51);
    }

    @Test
    void deflateClientEventsArriveIntact() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0).withDeflate(true));
        sendAndCheck(client().deflate(true).compressionLevel(9).build());
    }

    @Test
    void sslWithTrustStoreEventsArriveIntact() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0).withSsl(stores.keystore, TestKeystores.PASSWORD, "JKS"));
        sendAndCheck(client().ssl(true).truststore(stores.truststore).truststorePassword(TestKeystores.PASSWORD)
                .build());
    }

    @Test
    void sslWithDeflateAndTrustAllEventsArriveIntact() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0).withSsl(stores.keystore, TestKeystores.PASSWORD, "JKS")
                .withDeflate(true));
        sendAndCheck(client().ssl(true).trustAllCerts(true).deflate(true).build());
    }

    @Test
    void sinkDeliversChannelToSourceAndCommitsOnlyAfterOk() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0).withSsl(stores.keystore, TestKeystores.PASSWORD, "JKS")
                .withDeflate(true));
        QueueChannel channel = new QueueChannel();
        List<Event> events = Events.numbered("sink", 1050);
        channel.putAll(events);
        AvroSink sink = new AvroSink("k1", "a1.sinks.k1", client().batchSize(100).ssl(true)
                .truststore(stores.truststore).truststorePassword(TestKeystores.PASSWORD).deflate(true).build(), 0,
                new SinkCounter("k1"));
        sink.setChannel(channel);
        sink.start();
        try {
            while (channel.size() > 0) {
                assertThat(sink.process()).isEqualTo(Status.READY);
            }
            assertThat(sink.process()).isEqualTo(Status.BACKOFF);
        } finally {
            sink.stop();
        }
        assertThat(processor.events()).containsExactlyElementsOf(events);
        assertThat(sink.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(1050);
        assertThat(sink.counter().get(SinkCounter.BATCH_COMPLETE)).isEqualTo(10);
        assertThat(sink.counter().get(SinkCounter.BATCH_UNDERFLOW)).isEqualTo(1);
        assertThat(channel.rollbacks()).isZero();
    }
}
