package io.sluice.core.support;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.deadletter.EventRejectedException;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A poison event goes to the dead-letter channel and the batch goes on; nothing is ever lost. */
class DeadLetterSinkTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-06T10:15:30.250Z"));

    /** Writes events one by one; an event whose body starts with "poison" cannot be written. */
    private static final class StreamingSink extends AbstractBatchSink {
        final List<String> delivered = new ArrayList<>();
        EventDeliveryException destinationDown;

        StreamingSink(SinkCounter counter) {
            super("k1", "a1.sinks.k1", 10, counter);
        }

        @Override
        protected void deliver(List<Event> events) throws EventDeliveryException {
            if (destinationDown != null) {
                throw destinationDown;
            }
            for (Event e : events) {
                if (e.bodyAsString().startsWith("poison")) {
                    reject(new EventRejectedException(e, "cannot write " + e.bodyAsString()));
                } else {
                    delivered.add(e.bodyAsString());
                }
            }
        }
    }

    /** Sends a batch all or nothing: one poison event refuses the whole batch. */
    private static final class AllOrNothingSink extends AbstractBatchSink {
        final List<List<String>> attempts = new ArrayList<>();
        final List<String> delivered = new ArrayList<>();

        AllOrNothingSink(SinkCounter counter) {
            super("k2", "a1.sinks.k2", 10, counter);
        }

        @Override
        protected void deliver(List<Event> events) throws EventDeliveryException {
            attempts.add(events.stream().map(Event::bodyAsString).toList());
            for (Event e : events) {
                if (e.bodyAsString().startsWith("poison")) {
                    throw new EventRejectedException(e, "over the size limit");
                }
            }
            events.forEach(e -> delivered.add(e.bodyAsString()));
        }
    }

    private static MemoryChannel channel(String name, int capacity, String... bodies) {
        MemoryChannel c = new MemoryChannel(name, "a1.channels." + name, capacity, capacity, 0, 0,
                new ChannelCounter(name));
        c.start();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (String b : bodies) {
                tx.put(Event.builder().header("seq", b).body(b).build());
            }
            tx.commit();
        }
        return c;
    }

    private static List<Event> drain(MemoryChannel c) {
        List<Event> out = new ArrayList<>();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (Event e = tx.take(); e != null; e = tx.take()) {
                out.add(e);
            }
            tx.commit();
        }
        return out;
    }

    @Test
    void rejectedEventsGoToTheDeadLetterChannelAndTheBatchGoesOn() throws Exception {
        MemoryChannel main = channel("c1", 100, "a", "poison1", "b", "poison2", "c");
        MemoryChannel dlq = channel("dlq", 100);
        SinkCounter counter = new SinkCounter("k1");
        StreamingSink sink = new StreamingSink(counter);
        sink.setChannel(main);
        sink.setDeadLetters(new DeadLetters(dlq, "a1.sinks.k1", clock));
        sink.start();

        assertThat(sink.process()).isEqualTo(Status.READY);

        assertThat(sink.delivered).containsExactly("a", "b", "c");
        assertThat(main.size()).isZero();
        List<Event> letters = drain(dlq);
        assertThat(letters).extracting(Event::bodyAsString).containsExactly("poison1", "poison2");
        Event first = letters.get(0);
        assertThat(first.header("seq")).isEqualTo("poison1"); // the original headers stay
        assertThat(first.header(DeadLetters.ERROR)).isEqualTo("cannot write poison1");
        assertThat(first.header(DeadLetters.COMPONENT)).isEqualTo("a1.sinks.k1");
        assertThat(first.header(DeadLetters.FAILED_AT)).isEqualTo("2026-12-06T10:15:30.250Z");
        assertThat(counter.get(SinkCounter.DRAIN_ATTEMPT)).isEqualTo(5);
        assertThat(counter.get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(3);
        assertThat(counter.get(AbstractBatchSink.DEAD_LETTER_COUNT)).isEqualTo(2);
    }

    @Test
    void withoutADeadLetterChannelARejectedEventRollsTheBatchBack() {
        MemoryChannel main = channel("c1", 100, "a", "poison1", "b");
        SinkCounter counter = new SinkCounter("k1");
        StreamingSink sink = new StreamingSink(counter);
        sink.setChannel(main);
        sink.start();

        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("[a1.sinks.k1]")
                .hasMessageContaining("cannot write poison1")
                .hasMessageContaining("deadLetter.channel");
        assertThat(main.size()).isEqualTo(3);
        assertThat(counter.get(SinkCounter.DRAIN_SUCCESS)).isZero();
        assertThat(counter.get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(1);
    }

    @Test
    void aFailedDeadLetterPutRollsTheTakeBackSoNothingIsLost() {
        MemoryChannel main = channel("c1", 100, "a", "poison1", "poison2");
        MemoryChannel dlq = channel("dlq", 1); // room for one letter: the put of two fails
        StreamingSink sink = new StreamingSink(new SinkCounter("k1"));
        sink.setChannel(main);
        sink.setDeadLetters(new DeadLetters(dlq, "a1.sinks.k1", clock));
        sink.start();

        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("could not put 2 rejected event(s) into dead-letter channel dlq")
                .hasMessageContaining("rolled back");
        assertThat(main.size()).isEqualTo(3);
        assertThat(dlq.size()).isZero();
    }

    @Test
    void aFailureOfTheDestinationNeverDeadLetters() {
        MemoryChannel main = channel("c1", 100, "a", "poison1");
        MemoryChannel dlq = channel("dlq", 100);
        StreamingSink sink = new StreamingSink(new SinkCounter("k1"));
        sink.destinationDown = new EventDeliveryException("connection refused");
        sink.setChannel(main);
        sink.setDeadLetters(new DeadLetters(dlq, "a1.sinks.k1", clock));
        sink.start();

        assertThatThrownBy(sink::process).hasMessageContaining("connection refused");
        assertThat(main.size()).isEqualTo(2);
        assertThat(dlq.size()).isZero();
    }

    @Test
    void anAllOrNothingSinkDeliversTheRestAgainWithoutThePoisonEvents() throws Exception {
        MemoryChannel main = channel("c1", 100, "a", "poison1", "b", "poison2");
        MemoryChannel dlq = channel("dlq", 100);
        SinkCounter counter = new SinkCounter("k2");
        AllOrNothingSink sink = new AllOrNothingSink(counter);
        sink.setChannel(main);
        sink.setDeadLetters(new DeadLetters(dlq, "a1.sinks.k2", clock));
        sink.start();

        assertThat(sink.process()).isEqualTo(Status.READY);

        assertThat(sink.attempts).containsExactly(List.of("a", "poison1", "b", "poison2"),
                List.of("a", "b", "poison2"), List.of("a", "b"));
        assertThat(sink.delivered).containsExactly("a", "b");
        assertThat(drain(dlq)).extracting(e -> e.header(DeadLetters.ERROR))
                .containsExactly("over the size limit", "over the size limit");
        assertThat(main.size()).isZero();
        assertThat(counter.get(AbstractBatchSink.DEAD_LETTER_COUNT)).isEqualTo(2);
    }

    @Test
    void aBatchOfOnlyPoisonEventsIsSetAsideWhole() throws Exception {
        MemoryChannel main = channel("c1", 100, "poison1");
        MemoryChannel dlq = channel("dlq", 100);
        AllOrNothingSink sink = new AllOrNothingSink(new SinkCounter("k2"));
        sink.setChannel(main);
        sink.setDeadLetters(new DeadLetters(dlq, "a1.sinks.k2", clock));
        sink.start();

        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(sink.attempts).hasSize(1);
        assertThat(dlq.size()).isEqualTo(1);
        assertThat(main.size()).isZero();
    }
}
