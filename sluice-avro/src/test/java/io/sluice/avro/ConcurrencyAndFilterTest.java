package io.sluice.avro;

import io.sluice.api.ChannelException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.tls.TlsContexts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    void clientsOnOneEventLoopCommitConcurrentlySoADurableChannelCanShareAnFsync() throws Exception {
        // Every put waits until three puts are in progress at once. With one event-loop thread for three
        // connections that only happens when puts run off the event loop.
        CyclicBarrier together = new CyclicBarrier(3);
        ChannelProcessor waiting = new ChannelProcessor() {
            @Override
            public void processEvent(Event event) {
                processEventBatch(List.of(event));
            }

            @Override
            public void processEventBatch(List<Event> batch) {
                try {
                    together.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new ChannelException("never three puts at once: " + e);
                }
            }
        };
        source = new AvroSource("r1", "a1.sources.r1", new AvroSourceConfig("127.0.0.1", 0, 1, false, null, null,
                "JKS", TlsContexts.Filters.DEFAULT, List.of(), AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES,
                AvroSourceConfig.DEFAULT_READ_TIMEOUT_MILLIS), new SourceCounter("r1"));
        source.setChannelProcessor(waiting);
        source.start();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<NettyRpcClient> clients = new ArrayList<>();
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                NettyRpcClient client = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", source.port())
                        .requestTimeoutMillis(120_000).build());
                clients.add(client);
                List<Event> batch = Events.numbered("client" + c, 10);
                sent.add(pool.submit(() -> {
                    client.appendBatch(batch);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(120, TimeUnit.SECONDS); // throws when a batch was answered FAILED
            }
        } finally {
            for (NettyRpcClient c : clients) {
                c.close();
            }
            pool.shutdownNow();
        }
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
