package io.sluice.core.source.seq;

import io.sluice.api.ChannelFullException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.metrics.SourceCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeqSourceTest {

    /** Records batches; refuses the next {@code refuse} calls as a full channel would. */
    private static final class RecordingProcessor implements ChannelProcessor {
        final List<String> bodies = new ArrayList<>();
        int refuse;

        @Override
        public void processEvent(Event event) {
            processEventBatch(List.of(event));
        }

        @Override
        public void processEventBatch(List<Event> events) {
            if (refuse > 0) {
                refuse--;
                throw new ChannelFullException("full");
            }
            events.forEach(e -> bodies.add(e.bodyAsString()));
        }
    }

    @Test
    void digitsAreTheDecimalText() {
        for (long v : new long[] {0, 7, 9, 10, 11, 99, 100, 101, 1000, 99_999, 100_000, Integer.MAX_VALUE - 1L,
            Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 9_999_999_999L, 10_000_000_000L, 123456789012345L,
            999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE}) {
            assertThat(new String(SeqSource.digits(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
        for (long v = 0; v < 100_000; v++) {
            assertThat(SeqSource.digits(v)).isEqualTo(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void emitsNumbersInBatchesRetriesRefusedBatchesAndStopsAtTotal() {
        SourceCounter counter = new SourceCounter("r1");
        SeqSource source = new SeqSource("r1", "a1.sources.r1", 3, 7, counter);
        RecordingProcessor p = new RecordingProcessor();
        source.setChannelProcessor(p);
        assertThat(source.process()).isEqualTo(Status.READY);
        p.refuse = 1;
        assertThat(source.process()).isEqualTo(Status.BACKOFF);
        assertThat(source.process()).isEqualTo(Status.READY);
        assertThat(source.process()).isEqualTo(Status.READY);
        assertThat(source.process()).isEqualTo(Status.BACKOFF);
        assertThat(p.bodies).containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(counter.get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(7);
        assertThat(counter.get(SourceCounter.EVENT_RECEIVED)).isEqualTo(10);
        assertThat(counter.get(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(1);
    }
}
