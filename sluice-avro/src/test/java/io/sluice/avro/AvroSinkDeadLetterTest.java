package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.support.AbstractBatchSink;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The avro sink sends to a real avro source over 127.0.0.1 whose {@code max-frame-bytes} is 64 KiB:
 * an event over the sink's {@code max-event-bytes} goes to the dead-letter channel with the reason
 * and the rest of its batch is delivered; without a dead-letter channel the batch fails and stays
 * in the channel; a connection failure never sets anything aside.
 */
class AvroSinkDeadLetterTest {
    private static final long FRAME_LIMIT = 64 * 1024;

    private final AvroHop hop = new AvroHop();
    private final CollectingProcessor nextHop = new CollectingProcessor();

    @AfterEach
    void stop() throws Exception {
        hop.close();
    }

    private AvroSource nextAgent() {
        return hop.nextAgent(FRAME_LIMIT, nextHop);
    }

    private MemoryChannel channel(String name) {
        return hop.channel(name, 100);
    }

    private AvroSink sink(int port, MemoryChannel channel, MemoryChannel dlq) {
        return hop.sink(port, channel, dlq, 10, FRAME_LIMIT - 1024, FRAME_LIMIT);
    }

    private static List<Event> batch() {
        return List.of(Event.builder().body("small-1").build(),
                Event.builder().header("kind", "huge").body("x".repeat(100_000)).build(),
                Event.builder().body("small-2").build());
    }

    @Test
    void anEventOverMaxEventBytesIsSetAsideAndTheRestIsDelivered() throws Exception {
        AvroSource next = nextAgent();
        MemoryChannel channel = channel("c1");
        MemoryChannel dlq = channel("dlq");
        AvroHop.put(channel, batch());
        AvroSink sink = sink(next.port(), channel, dlq);

        sink.process();

        assertThat(nextHop.events()).extracting(Event::bodyAsString).containsExactly("small-1", "small-2");
        assertThat(channel.size()).isZero();
        List<Event> letters = AvroHop.take(dlq, 100);
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.header("kind")).isEqualTo("huge");
            assertThat(l.bodyLength()).isEqualTo(100_000);
            assertThat(l.header(DeadLetters.ERROR)).matches("event of 1000\\d\\d bytes on the wire is over"
                    + " max-event-bytes 64512 \\(the largest event the next agent takes; see its max-frame-bytes\\)");
            assertThat(l.header(DeadLetters.COMPONENT)).isEqualTo("a1.sinks.k1");
        });
        assertThat(sink.counter().get(AbstractBatchSink.DEAD_LETTER_COUNT)).isEqualTo(1);
        assertThat(sink.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(2);
    }

    @Test
    void withoutADeadLetterChannelTheBatchFailsAndStaysInTheChannel() throws Exception {
        AvroSource next = nextAgent();
        MemoryChannel channel = channel("c1");
        AvroHop.put(channel, batch());
        AvroSink sink = sink(next.port(), channel, null);

        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("over max-event-bytes 64512").hasMessageContaining("deadLetter.channel");
        assertThat(channel.size()).isEqualTo(3);
        assertThat(nextHop.events()).isEmpty();
    }

    @Test
    void aConnectionFailureNeverSetsEventsAside() throws Exception {
        AvroSource next = nextAgent();
        int port = next.port();
        next.stop();
        MemoryChannel channel = channel("c1");
        MemoryChannel dlq = channel("dlq");
        AvroHop.put(channel, List.of(Event.builder().body("small").build()));
        AvroSink sink = sink(port, channel, dlq);

        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class);
        assertThat(channel.size()).isEqualTo(1);
        assertThat(dlq.size()).isZero();
    }
}
