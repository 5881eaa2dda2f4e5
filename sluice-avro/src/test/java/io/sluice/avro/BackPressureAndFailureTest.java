package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sdk.BatchRefusedException;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BackPressureAndFailureTest {
    private final CollectingProcessor processor = new CollectingProcessor();
    private AvroSource source;
    private AvroSink sink;

    @AfterEach
    void stop() {
        processor.release();
        if (sink != null) {
            sink.stop();
        }
        if (source != null) {
            source.stop();
        }
    }

    private AvroSource startSource(int port) {
        source = new AvroSource("r1", "a1.sources.r1", AvroSourceConfig.plain("127.0.0.1", port),
                new SourceCounter("r1"));
        source.setChannelProcessor(processor);
        source.start();
        return source;
    }

    private AvroSink startSink(QueueChannel channel, long requestTimeout) {
        sink = new AvroSink("k1", "a1.sinks.k1", RpcClientConfig.builder().host("127.0.0.1", source.port())
                .batchSize(10).connectTimeoutMillis(5_000).requestTimeoutMillis(requestTimeout).build(), 0,
                new SinkCounter("k1"));
        sink.setChannel(channel);
        sink.start();
        return sink;
    }

    @Test
    void fullChannelAnswersFailedAndTheClientSaysTheBatchWasRefused() throws Exception {
        startSource(0);
        processor.full = true;
        try (NettyRpcClient c = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", source.port()).build())) {
            assertThatThrownBy(() -> c.appendBatch(Events.numbered("bp", 5)))
                    .isInstanceOf(BatchRefusedException.class)
                    .hasMessageContaining("refused a batch of 5 event(s) with status FAILED");
            processor.full = false;
            c.appendBatch(Events.numbered("bp", 5)); // same connection still usable
        }
        assertThat(processor.size()).isEqualTo(5);
        assertThat(source.counter().get(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(1);
        assertThat(source.counter().get(SourceCounter.EVENT_RECEIVED)).isEqualTo(10);
        assertThat(source.counter().get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(5);
    }

    /**
     * Calls the sink until the channel is empty, for at most 30 s. A delivery that fails (the next
     * hop still reconnecting) is retried; if the channel never empties, the failure reports how
     * many events are left and the last delivery error as its cause.
     */
    private void processUntilDrained(QueueChannel channel) {
        Duration timeout = Duration.ofSeconds(30);
        AtomicReference<EventDeliveryException> lastError = new AtomicReference<>();
        try {
            await().atMost(timeout).until(() -> {
                try {
                    sink.process();
                } catch (EventDeliveryException e) {
                    lastError.set(e);
                }
                return channel.size() == 0;
            });
        } catch (ConditionTimeoutException e) {
            EventDeliveryException last = lastError.get();
            throw new AssertionError("the channel still holds " + channel.size() + " event(s) after " + timeout
                    + "; last delivery error: " + (last == null ? "none" : last.getMessage()), last);
        }
    }

    @Test
    void sinkRollsBackOnFailedAndDeliversEverythingOnceTheChannelHasRoom() throws Exception {
        startSource(0);
        QueueChannel channel = new QueueChannel();
        List<Event> events = Events.numbered("full", 35);
        channel.putAll(events);
        startSink(channel, 5_000);
        processor.full = true;
        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class).hasMessageContaining("FAILED");
        assertThat(channel.size()).isEqualTo(35);
        assertThat(channel.rollbacks()).isEqualTo(1);
        processor.full = false;
        processUntilDrained(channel);
        assertThat(processor.events()).containsExactlyElementsOf(events);
        assertThat(sink.counter().get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(1);
    }

    @Test
    void sinkRollsBackOnRequestTimeoutAndRetriesAtLeastOnce() throws Exception {
        startSource(0);
        QueueChannel channel = new QueueChannel();
        List<Event> events = Events.numbered("slow", 20);
        channel.putAll(events);
        startSink(channel, 300);
        processor.hold(); // the source blocks inside its put: no answer within request-timeout
        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("request-timeout 300 ms");
        assertThat(channel.size()).isEqualTo(20);
        processor.release();
        processUntilDrained(channel);
        Set<Event> distinct = new HashSet<>(processor.events());
        assertThat(distinct).containsExactlyInAnyOrderElementsOf(events); // at least once, nothing lost
    }

    @Test
    void sinkSurvivesLosingTheNextHopAndDrainsAfterItComesBack() throws Exception {
        startSource(0);
        int port = source.port();
        QueueChannel channel = new QueueChannel();
        List<Event> first = Events.numbered("before", 10);
        List<Event> second = Events.numbered("after", 25);
        channel.putAll(first);
        startSink(channel, 5_000);
        sink.process();
        source.stop();
        channel.putAll(second);
        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class);
        assertThat(channel.size()).isEqualTo(25);
        startSource(port);
        processUntilDrained(channel);
        assertThat(processor.events()).containsExactlyElementsOf(
                Stream.concat(first.stream(), second.stream()).toList());
        assertThat(sink.counter().get(SinkCounter.CONNECTION_FAILED)).isGreaterThanOrEqualTo(1);
        assertThat(sink.counter().get(SinkCounter.CONNECTION_CREATED)).isGreaterThanOrEqualTo(2);
    }
}
