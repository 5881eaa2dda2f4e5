package io.sluice.core.source.stress;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.source.support.PollBackoff;
import io.sluice.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StressSourceTest {

    private StressSource create(MemoryPipe pipe, Map<String, String> keys) {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", keys);
        StressSource s = (StressSource) new StressSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        s.setChannelProcessor(pipe.processor());
        s.start();
        return s;
    }

    @Test
    void generatesBatchesOfSizedEventsUntilMaxTotalEvents() {
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        StressSource s = create(pipe, Map.of("type", "org.apache.flume.source.StressSource", "size", "64",
                "batchSize", "10", "maxTotalEvents", "25"));
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(s.process()).isEqualTo(Status.BACKOFF);
        List<Event> events = pipe.drain();
        assertThat(events).hasSize(25).allSatisfy(e -> assertThat(e.bodyLength()).isEqualTo(64));
        assertThat(s.successfulEvents()).isEqualTo(25);
    }

    @Test
    void refusedBatchesCountAsFailedAndMaxSuccessfulEventsStillHolds() {
        MemoryPipe pipe = new MemoryPipe(5, 10);
        StressSource s = create(pipe, Map.of("type", "stress", "batchSize", "5", "maxSuccessfulEvents", "10"));
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(s.process()).isEqualTo(Status.BACKOFF);
        assertThat(s.failedEvents()).isEqualTo(5);
        pipe.drain();
        assertThat(s.process()).isEqualTo(Status.READY);
        assertThat(s.process()).isEqualTo(Status.BACKOFF);
        assertThat(s.successfulEvents()).isEqualTo(10);
        assertThat(s.attemptedEvents()).isEqualTo(15);
    }

    @Test
    void maxEventsPerSecondPacesTheSource() {
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TestClock clock = new TestClock();
        StressSource s = new StressSource("r1", 16, 10, -1, -1, 100, new SourceCounter("r1"), clock, PollBackoff.FLUME_DEFAULT,
                clock::nanoTime, clock::sleepNanos);
        s.setChannelProcessor(pipe.processor());
        s.start();
        for (int i = 0; i < 6; i++) {
            assertThat(s.process()).isEqualTo(Status.READY);
        }
        // 60 events at 100/s: the first batch goes at once, each of the next five waits 100 ms
        long tenth = TimeUnit.MILLISECONDS.toNanos(100);
        assertThat(clock.sleeps()).containsExactly(tenth, tenth, tenth, tenth, tenth);
        assertThat(s.successfulEvents()).isEqualTo(60);
        // after a pause longer than a second the source does not burst to catch up
        clock.advance(Duration.ofSeconds(5));
        clock.clearSleeps();
        s.process();
        s.process();
        assertThat(clock.sleeps()).containsExactly(tenth);
    }

    @Test
    void negativeLimitsBelowMinusOneAreProblems() {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "stress",
                "maxTotalEvents", "-2", "batchSize", "x"));
        new StressSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "a1.sources.r1.maxTotalEvents", "a1.sources.r1.batchSize");
    }
}
