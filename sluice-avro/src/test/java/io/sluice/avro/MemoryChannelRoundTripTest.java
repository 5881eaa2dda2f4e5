package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.selector.ReplicatingChannelSelector;
import io.sluice.sdk.BatchRefusedException;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The source and sink with Sluice's real memory channel between them: the source answers FAILED
 * once the channel is full, and the sink drains it to the next hop in order.
 */
class MemoryChannelRoundTripTest {

    @Test
    void fullMemoryChannelRefusesBatchesAndTheSinkDrainsItInOrder() throws Exception {
        MemoryChannel channel = new MemoryChannel("c1", "a1.channels.c1", 300, 100, Long.MAX_VALUE, 0,
                new ChannelCounter("c1"));
        channel.start();
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(channel));
        DefaultChannelProcessor processor = new DefaultChannelProcessor("a1.sources.r1", selector, List.of(),
                new CounterGroup("CHANNEL_PROCESSOR", "r1"));
        AvroSource source = new AvroSource("r1", "a1.sources.r1", AvroSourceConfig.plain("127.0.0.1", 0),
                new SourceCounter("r1"));
        source.setChannelProcessor(processor);
        source.start();
        CollectingProcessor nextHop = new CollectingProcessor();
        AvroSource next = new AvroSource("r9", "a2.sources.r9", AvroSourceConfig.plain("127.0.0.1", 0),
                new SourceCounter("r9"));
        next.setChannelProcessor(nextHop);
        next.start();
        List<Event> sent = new ArrayList<>();
        try (NettyRpcClient client = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", source.port())
                .batchSize(100).build())) {
            for (int b = 0; b < 3; b++) {
                List<Event> batch = Events.numbered("mem" + b, 100);
                client.appendBatch(batch);
                sent.addAll(batch);
            }
            assertThat(channel.size()).isEqualTo(300);
            assertThatThrownBy(() -> client.appendBatch(Events.numbered("overflow", 100)))
                    .isInstanceOf(BatchRefusedException.class);
            assertThat(channel.size()).isEqualTo(300);

            AvroSink sink = new AvroSink("k1", "a1.sinks.k1", RpcClientConfig.builder().host("127.0.0.1", next.port())
                    .batchSize(100).build(), 0, new SinkCounter("k1"));
            sink.setChannel(channel);
            sink.start();
            try {
                while (channel.size() > 0) {
                    sink.process();
                }
            } finally {
                sink.stop();
            }
            List<Event> more = Events.numbered("after", 100);
            client.appendBatch(more); // room again
            assertThat(channel.size()).isEqualTo(100);
        } finally {
            source.stop();
            next.stop();
            channel.stop();
        }
        assertThat(nextHop.events()).containsExactlyElementsOf(sent);
        assertThat(source.counter().get(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(1);
    }
}
