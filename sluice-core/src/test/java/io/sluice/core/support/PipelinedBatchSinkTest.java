package io.sluice.core.support;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.TestChannels;
import io.sluice.core.channel.memory.MemoryChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-order commit logic of a pipelined sink ({@code maxInFlightBatches} above 1) on a real memory channel. */
class PipelinedBatchSinkTest {

    /** Sends batches (numbered from 0 in sending order), acknowledges them when awaited; fails where told. */
    private static final class PipelinedSink extends AbstractBatchSink {
        final int maxInFlight;
        final List<List<String>> sent = new ArrayList<>();
        final List<Integer> awaited = new ArrayList<>();
        final List<String> committed = new ArrayList<>();
        /** For each awaited batch, the events committed before its acknowledgement arrived. */
        final List<Integer> committedBeforeAck = new ArrayList<>();
        final Set<Integer> failAtAwait = new HashSet<>();
        final Set<Integer> failAtSend = new HashSet<>();
        int open;
        int mostOpen;

        PipelinedSink(int batchSize, int maxInFlight) {
            super("k1", "a1.sinks.k1", batchSize, new SinkCounter("k1"));
            this.maxInFlight = maxInFlight;
        }

        @Override
        protected int maxInFlightBatches() {
            return maxInFlight;
        }

        @Override
        protected long pipelineSliceNanos() {
            return Long.MAX_VALUE;
        }

        @Override
        protected void deliver(List<Event> events) {
            throw new AssertionError("a pipelined sink is given batches through send()");
        }

        @Override
        protected Acknowledgement send(List<Event> events) throws EventDeliveryException {
            int number = sent.size();
            List<String> bodies = events.stream().map(Event::bodyAsString).toList();
            sent.add(bodies);
            if (failAtSend.remove(number)) {
                throw new EventDeliveryException("send of batch " + number + " failed");
            }
            open++;
            mostOpen = Math.max(mostOpen, open);
            return () -> {
                open--;
                awaited.add(number);
                committedBeforeAck.add(committed.size());
                if (failAtAwait.remove(number)) {
                    throw new EventDeliveryException("batch " + number + " was not acknowledged");
                }
            };
        }

        @Override
        protected void committed(List<Event> events) {
            events.forEach(e -> committed.add(e.bodyAsString()));
        }

        /** Runs process() until the channel is drained, returning how many calls failed. */
        int drain() {
            int failures = 0;
            for (int i = 0; i < 1000; i++) {
                try {
                    if (process() == Status.BACKOFF) {
                        return failures;
                    }
                } catch (EventDeliveryException e) {
                    failures++;
                }
            }
            throw new AssertionError("the sink never drained the channel");
        }
    }

    private static MemoryChannel channelWith(int n) {
        MemoryChannel c = TestChannels.memory("c1", 100);
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.putAll(bodies(0, n).stream().map(Event::ofString).toList());
            tx.commit();
        }
        return c;
    }

    private static PipelinedSink sink(MemoryChannel channel, int batchSize, int maxInFlight) {
        PipelinedSink s = new PipelinedSink(batchSize, maxInFlight);
        s.setChannel(channel);
        s.start();
        return s;
    }

    private static List<String> bodies(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("e" + i);
        }
        return out;
    }

    @Test
    void sendsAheadWithAtMostMaxBatchesOpenAndCommitsEachInOrderAfterItsAcknowledgement() throws Exception {
        MemoryChannel channel = channelWith(10);
        PipelinedSink sink = sink(channel, 2, 3);
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(sink.process()).isEqualTo(Status.BACKOFF);
        assertThat(sink.sent).hasSize(5);
        assertThat(sink.mostOpen).isEqualTo(3);
        assertThat(sink.awaited).containsExactly(0, 1, 2, 3, 4);
        // batch k's acknowledgement came when exactly the 2 * k events of the batches before it were committed
        assertThat(sink.committedBeforeAck).containsExactly(0, 2, 4, 6, 8);
        assertThat(sink.committed).containsExactlyElementsOf(bodies(0, 10));
        assertThat(channel.size()).isZero();
        assertThat(sink.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(10);
        assertThat(sink.counter().get(SinkCounter.DRAIN_ATTEMPT)).isEqualTo(10);
    }

    @Test
    void aBatchNotAcknowledgedRollsBackItAndEveryLaterOneSoTheChannelKeepsTheirOrder() throws Exception {
        MemoryChannel channel = channelWith(10);
        PipelinedSink sink = sink(channel, 2, 3);
        sink.failAtAwait.add(1);
        // batch 0 was acknowledged and committed; batches 1, 2 and 3 (taken while 1 waited) went back, in order
        processFailsCommittingOnly(sink, channel, "batch 1 was not acknowledged", 2);
        assertThat(sink.sent).hasSize(4);
        assertThat(sink.counter().get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(2);
    }

    @Test
    void afterAFailureTheBatchesAreSentAgainInOrderAndNothingIsLostOrCommittedTwice() {
        MemoryChannel channel = channelWith(10);
        PipelinedSink sink = sink(channel, 2, 3);
        sink.failAtAwait.add(2);
        assertThat(sink.drain()).isEqualTo(1);
        assertThat(sink.committed).containsExactlyElementsOf(bodies(0, 10));
        // sent: batches 0 to 4 (2 fails; 3 and 4, taken while it waited, go back with it), then e4 to e9 again
        assertThat(sink.sent.subList(5, sink.sent.size())).containsExactly(List.of("e4", "e5"), List.of("e6", "e7"),
                List.of("e8", "e9"));
        assertThat(channel.size()).isZero();
    }

    @Test
    void aFailedSendRollsBackItsBatchWhileTheEarlierOnesStillCommit() throws Exception {
        MemoryChannel channel = channelWith(10);
        PipelinedSink sink = sink(channel, 2, 3);
        sink.failAtSend.add(2);
        processFailsCommittingOnly(sink, channel, "send of batch 2 failed", 4);
        assertThat(sink.counter().get(SinkCounter.EVENT_WRITE_FAIL)).isEqualTo(1);
    }

    /**
     * One {@code process()} fails saying {@code message}, having committed the first {@code committed} of
     * the 10 events of {@link #channelWith(int) channelWith(10)}; the channel gives back the rest, in order.
     */
    private static void processFailsCommittingOnly(PipelinedSink sink, MemoryChannel channel, String message,
            int committed) {
        assertThatThrownBy(sink::process).isInstanceOf(EventDeliveryException.class).hasMessageContaining(message);
        assertThat(sink.committed).containsExactlyElementsOf(bodies(0, committed));
        assertThat(TestChannels.drainBodies(channel)).containsExactlyElementsOf(bodies(committed, 10));
    }
}
