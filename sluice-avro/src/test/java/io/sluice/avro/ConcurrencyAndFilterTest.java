package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyAndFilterTest {
    private final CollectingProcessor processor = new CollectingProcessor();
    private AvroSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private void start(AvroSourceConfig config) {
        source = new AvroSource("r1", "a1.sources.r1", config, new SourceCounter("r1"));
        source.setChannelProcessor(processor);
        source.start();
    }

    @Test
    void manyThreadsShareOneClientAndEveryBatchIsAnsweredToItsSender() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Event> all = new ArrayList<>();
        try (NettyRpcClient client = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", source.port())
                .batchSize(25).build())) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                List<Event> mine = Events.numbered("thread" + t, 400);
                all.addAll(mine);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < mine.size(); i += 50) {
                        client.appendBatch(mine.subList(i, i + 50));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(processor.size()).isEqualTo(all.size());
        assertThat(new HashSet<>(processor.events())).isEqualTo(new HashSet<>(all));
    }

    @Test
    void ipFilterRulesRejectDeniedClientsAndAcceptAllowedOnes() throws Exception {
        start(AvroSourceConfig.plain("127.0.0.1", 0).withIpFilterRules(IpFilterRules.parse("deny:ip:127.*")));
        try (NettyRpcClient c = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", source.port())
                .connectTimeoutMillis(5000).build())) {
            // the refusal itself: the source closes the connection before the handshake is answered,
            // which is neither a timeout nor an error answer
            String address = "127.0.0.1:" + source.port();
            assertThatThrownBy(() -> c.append(Event.ofString("denied"))).isInstanceOf(EventDeliveryException.class)
                    .hasMessageMatching("handshake with " + Pattern.quote(address) + " failed: (connection to "
                            + Pattern.quote(address) + " (is closed|closed by the agent)|\\w*ClosedChannelException).*")
                    .hasMessageNotContaining("within");
        }
        source.stop();
        start(AvroSourceConfig.plain("127.0.0.1", 0)
                .withIpFilterRules(IpFilterRules.parse("allow:ip:127.0.0.*,deny:ip:*")));
        try (NettyRpcClient c = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", source.port())
                .build())) {
            c.append(Event.ofString("allowed"));
        }
        assertThat(processor.events()).extracting(Event::bodyAsString).containsExactly("allowed");
    }
}
