package io.sluice.core.support;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AbstractBatchSinkTest {

    /** Records what it was handed; fails while {@code failWith} is set. */
    private static final class RecordingSink extends AbstractBatchSink {
        final List<String> delivered = new ArrayList<>();
        final List<List<Event>> views = new ArrayList<>();
        final List<Integer> channelSizeDuringDelivery = new ArrayList<>();
        RuntimeException failWith;
        MemoryChannel channel;

        RecordingSink(int batchSize, SinkCounter counter) {
            super("k1", "a1.sinks.k1", batchSize, counter);
        }

        @Override
        protected void deliver(List<Event> events) {
            views.add(events);
            channelSizeDuringDelivery.add(channel.size());
            if (failWith != null) {
                throw failWith;
            }
            events.forEach(e -> delivered.add(e.bodyAsString()));
        }
    }

    private static MemoryChannel channelWith(int n) {
        MemoryChannel c = new MemoryChannel("c1", "a1.channels.c1", 100, 100, 0, 0, new ChannelCounter("c1"));
        c.start();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (int i = 0; i < n; i++) {
                tx.put(Event.ofString("e" + i));
            }
            tx.commit();
        }
        return c;
    }

    private static RecordingSink sink(MemoryChannel channel, int batchSize, SinkCounter counter) {
        RecordingSink s = new RecordingSink(batchSize, counter);
        s.channel = channel;
        s.setChannel(channel);
        s.start();
        return s;
    }

    @Test
    void commitsOnlyAfterDeliveryAndCountsLikeApacheFlume() throws Exception {
        MemoryChannel channel = channelWith(5);
        SinkCounter counter = new SinkCounter("k1");
        RecordingSink sink = sink(channel, 3, counter);
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(sink.process()).isEqualTo(Status.BACKOFF);
        assertThat(sink.delivered).containsExactly("e0", "e1", "e2", "e3", "e4");
        assertThat(channel.size()).isZero();
        assertThat(counter.get(SinkCounter.BATCH_COMPLETE)).isEqualTo(1);
        assertThat(counter.get(SinkCounter.BATCH_UNDERFLOW)).isEqualTo(1);
        assertThat(counter.get(SinkCounter.BATCH_EMPTY)).isEqualTo(1);
        assertThat(counter.get(SinkCounter.DRAIN_ATTEMPT)).isEqualTo(5);
        assertThat(counter.get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(5);
        // one batch list for every transaction, read-only to the subclass
        assertThat(sink.views).hasSize(2);
        assertThat(sink.views.get(0)).isSameAs(sink.views.get(1));
        assertThatThrownBy(() -> sink.views.get(0).add(Event.ofString("x")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aFailedDeliveryRollsBackSoTheEventsAreRetried() throws Exception {
        MemoryChannel channel = channelWith(2);
        SinkCounter counter = new SinkCounter("k1");
        RecordingSink sink = sink(channel, 10, counter);
        sink.failWith = new IllegalStateException("disk on fire");
        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("[a1.sinks.k1] delivering 2 event(s) failed").hasMessageContaining("disk on fire");
        // while delivering, the taken events are out of the channel; after the rollback they are back
        assertThat(sink.channelSizeDuringDelivery).containsExactly(0);
        assertThat(channel.size()).isEqualTo(2);
        assertThat(counter.get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(1);
        assertThat(counter.get(SinkCounter.DRAIN_SUCCESS)).isZero();
        sink.failWith = null;
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(sink.delivered).containsExactly("e0", "e1");
        assertThat(counter.get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(2);
    }

    @Test
    void refusesABatchSizeBelowOne() {
        assertThatThrownBy(() -> new RecordingSink(0, new SinkCounter("k1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize: 0 (expected: > 0)");
    }
}
