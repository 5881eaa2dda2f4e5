package io.sluice.avro;

import io.sluice.api.ChannelFullException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The avro sink against a real avro source over 127.0.0.1 whose {@code max-frame-bytes} is 16 KiB,
 * with {@code max-request-bytes} set to the same: a batch of 1000 small events, about 80 KB in all,
 * is sent as several requests inside one transaction, delivered whole, in order, exactly once; a
 * refusal of the second request rolls the whole take back and the retry delivers everything; an
 * event that alone does not fit in a request goes to the dead-letter channel, or fails the batch
 * with its size, the limit and the key when there is none.
 */
class AvroSinkRequestSizeTest {
    private static final long FRAME_LIMIT = 16 * 1024;
    private static final int EVENTS = 1000;

    private final AvroHop hop = new AvroHop();
    private final CollectingProcessor nextHop = new CollectingProcessor();
    private final AtomicInteger requests = new AtomicInteger();
    /** The request (1-based) the next agent refuses once with a full channel; 0: none. */
    private volatile int refuseRequest;

    @AfterEach
    void stop() throws Exception {
        hop.close();
    }

    /** The next agent's channel processor: counts requests, refuses {@link #refuseRequest} once. */
    private final ChannelProcessor counting = new ChannelProcessor() {
        @Override
        public void processEvent(Event event) {
            processEventBatch(List.of(event));
        }

        @Override
        public void processEventBatch(List<Event> batch) {
            int n = requests.incrementAndGet();
            if (n == refuseRequest) {
                throw new ChannelFullException("request " + n + " refused by the test");
            }
            nextHop.processEventBatch(batch);
        }
    };

    private AvroSource nextAgent() {
        return hop.nextAgent(FRAME_LIMIT, counting);
    }

    private MemoryChannel channel(String name) {
        return hop.channel(name, EVENTS);
    }

    private AvroSink sink(int port, MemoryChannel channel, MemoryChannel dlq, long maxRequestBytes) {
        return hop.sink(port, channel, dlq, EVENTS, AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES, maxRequestBytes);
    }

    private static List<Event> smallEvents() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(Event.builder().header("seq", Integer.toString(i))
                    .body(String.format("event-%04d-", i) + "x".repeat(50)).build());
        }
        return events;
    }

    private static List<String> bodies(List<Event> events) {
        return events.stream().map(Event::bodyAsString).toList();
    }

    @Test
    void aBatchOverTheNextAgentsFrameLimitIsSplitIntoRequestsAndDeliveredOnceInOrder() throws Exception {
        AvroSource next = nextAgent();
        MemoryChannel channel = channel("c1");
        List<Event> sent = smallEvents();
        long total = sent.stream().mapToLong(RpcSink::wireSize).sum();
        assertThat(total).as("the batch is well over the next agent's max-frame-bytes").isGreaterThan(4 * FRAME_LIMIT);
        AvroHop.put(channel, sent);
        AvroSink sink = sink(next.port(), channel, null, FRAME_LIMIT);

        sink.process();

        assertThat(bodies(nextHop.events())).containsExactlyElementsOf(bodies(sent));
        assertThat(requests.get()).isGreaterThanOrEqualTo((int) (total / FRAME_LIMIT) + 1);
        assertThat(channel.size()).isZero();
        assertThat(sink.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(EVENTS);
        assertThat(sink.counter().get(SinkCounter.BATCH_COMPLETE)).isEqualTo(1);
    }

    @Test
    void aRefusedSecondRequestRollsTheWholeTakeBackAndTheRetryDeliversEverything() throws Exception {
        AvroSource next = nextAgent();
        MemoryChannel channel = channel("c1");
        List<Event> sent = smallEvents();
        AvroHop.put(channel, sent);
        AvroSink sink = sink(next.port(), channel, null, FRAME_LIMIT);
        refuseRequest = 2;

        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class);
        assertThat(channel.size()).as("the whole take is back in the channel").isEqualTo(EVENTS);
        int firstRequest = nextHop.size();
        assertThat(firstRequest).isBetween(1, EVENTS - 1);

        sink.process();

        List<String> received = bodies(nextHop.events());
        assertThat(received.subList(0, firstRequest)).containsExactlyElementsOf(bodies(sent).subList(0, firstRequest));
        assertThat(received.subList(firstRequest, received.size())).containsExactlyElementsOf(bodies(sent));
        assertThat(channel.size()).isZero();
        assertThat(sink.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(EVENTS);
    }

    @Test
    void anEventThatAloneDoesNotFitInARequestIsSetAsideAndTheRestIsDelivered() throws Exception {
        AvroSource next = nextAgent();
        MemoryChannel channel = channel("c1");
        MemoryChannel dlq = channel("dlq");
        AvroHop.put(channel, List.of(Event.builder().body("small-1").build(),
                Event.builder().header("kind", "huge").body("y".repeat(20_000)).build(),
                Event.builder().body("small-2").build()));
        AvroSink sink = sink(next.port(), channel, dlq, FRAME_LIMIT);

        sink.process();

        assertThat(bodies(nextHop.events())).containsExactly("small-1", "small-2");
        assertThat(channel.size()).isZero();
        assertThat(AvroHop.take(dlq, EVENTS)).singleElement().satisfies(l -> {
            assertThat(l.header("kind")).isEqualTo("huge");
            assertThat(l.header(DeadLetters.ERROR)).startsWith("event of 20035 bytes on the wire does not fit in one"
                    + " request of max-request-bytes 16384");
        });
        assertThat(sink.counter().get(AbstractBatchSink.DEAD_LETTER_COUNT)).isEqualTo(1);
        assertThat(sink.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(2);
    }

    @Test
    void withoutADeadLetterChannelAnEventTooLargeForAnyRequestFailsNamingItsSizeTheLimitAndTheKey() {
        AvroSource next = nextAgent();
        MemoryChannel channel = channel("c1");
        AvroHop.put(channel, List.of(Event.builder().body("z".repeat(20_000)).build()));
        AvroSink sink = sink(next.port(), channel, null, FRAME_LIMIT);

        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("event of 20017 bytes").hasMessageContaining("max-request-bytes 16384")
                .hasMessageContaining("deadLetter.channel");
        assertThat(channel.size()).isEqualTo(1);
        assertThat(requests.get()).as("nothing was sent").isZero();
    }

    @Test
    void theNextAgentAnswersARequestOverItsFrameLimitWithAnErrorAndKeepsTheConnection() throws Exception {
        AvroSource next = nextAgent();
        try (NettyRpcClient client = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", next.port())
                .batchSize(EVENTS).connectTimeoutMillis(10_000).requestTimeoutMillis(10_000).build())) {
            client.connect();
            assertThatThrownBy(() -> client.appendBatch(smallEvents())).isInstanceOf(EventDeliveryException.class)
                    .hasMessageContaining("answered with an error: request of at least")
                    .hasMessageContaining("over this agent's max-frame-bytes = 16384")
                    .hasMessageContaining("max-request-bytes");
            client.appendBatch(List.of(Event.builder().body("after").build()));
        }
        assertThat(bodies(nextHop.events())).containsExactly("after");
        assertThat(next.counter().get(AvroSource.TOO_LARGE)).isEqualTo(1);
        assertThat(next.counter().get(SourceCounter.EVENT_READ_FAIL)).as("not taken for bad input").isZero();
    }
}
