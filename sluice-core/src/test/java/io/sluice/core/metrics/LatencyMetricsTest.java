package io.sluice.core.metrics;

import io.micrometer.core.instrument.MockClock;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.api.metrics.LatencyHistogram;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.support.AbstractBatchSink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyMetricsTest {

    private static final class NullSink extends AbstractBatchSink {
        NullSink(SinkCounter counter) {
            super("k1", "a1.sinks.k1", 10, counter);
        }

        @Override
        protected void deliver(List<Event> events) {
        }
    }

    @Test
    void histogramsComeFromMicrometer() {
        LatencyHistogram h = LatencyHistogram.create("CHANNEL", "c1", "PutCommitLatency");
        assertThat(h).isInstanceOf(MicrometerLatency.class);
    }

    @Test
    void p99AndBucketsOfKnownSamples() {
        MicrometerLatency h = (MicrometerLatency) LatencyHistogram.create("CHANNEL", "c1", "PutCommitLatency");
        for (int i = 0; i < 98; i++) {
            h.record(TimeUnit.MICROSECONDS.toNanos(200));
        }
        h.record(TimeUnit.MILLISECONDS.toNanos(40));
        h.record(TimeUnit.MILLISECONDS.toNanos(40));
        h.record(-5); // ignored
        assertThat(h.p99Millis()).isCloseTo(40.0, within(1.0));
        MicrometerLatency.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.maxSeconds()).isCloseTo(0.040, within(0.0001));
        assertThat(s.sumSeconds()).isCloseTo(98 * 0.0002 + 0.080, within(0.0001));
        for (int i = 0; i < s.bucketBounds().length; i++) {
            double le = s.bucketBounds()[i];
            long expected = le < 0.0002 ? 0 : le < 0.040 ? 98 : 100;
            assertThat(s.cumulativeCounts()[i]).as("bucket le=%s", le).isEqualTo(expected);
        }
    }

    @Test
    void p99IsReusedForOneSecondThenReadAfresh() {
        MockClock clock = new MockClock();
        MicrometerLatency h = new MicrometerLatency("CHANNEL", "c1", "PutCommitLatency", clock);
        assertThat(h.p99Millis()).isZero();
        h.record(TimeUnit.MILLISECONDS.toNanos(5));
        // no samples at the last reading: the first one shows at once
        assertThat(h.p99Millis()).isCloseTo(5.0, within(0.5));
        for (int i = 0; i < 10; i++) {
            h.record(TimeUnit.MILLISECONDS.toNanos(80));
        }
        clock.add(MicrometerLatency.P99_REUSE_NANOS - 1, TimeUnit.NANOSECONDS);
        assertThat(h.p99Millis()).as("within the reuse interval").isCloseTo(5.0, within(0.5));
        clock.add(1, TimeUnit.NANOSECONDS);
        assertThat(h.p99Millis()).as("once the interval is over").isCloseTo(80.0, within(2.0));
        // the snapshot behind /prometheus never waits
        h.record(TimeUnit.MILLISECONDS.toNanos(900));
        assertThat(h.snapshot().maxSeconds()).isCloseTo(0.9, within(0.01));
    }

    @Test
    void aCountedRecordIsThatManyRecordsOfOneValue() {
        MockClock clock = new MockClock();
        MicrometerLatency one = new MicrometerLatency("SINK", "k1", "EndToEndLatency", clock);
        MicrometerLatency counted = new MicrometerLatency("SINK", "k1", "EndToEndLatency", clock);
        long[][] samples = {{TimeUnit.MILLISECONDS.toNanos(3), 700}, {TimeUnit.MILLISECONDS.toNanos(40), 290},
            {TimeUnit.SECONDS.toNanos(2), 10}, {TimeUnit.MINUTES.toNanos(20), 1}};
        for (long[] s : samples) {
            for (long i = 0; i < s[1]; i++) {
                one.record(s[0]);
            }
            counted.record(s[0], s[1]);
        }
        counted.record(TimeUnit.MILLISECONDS.toNanos(1), 0); // no samples: ignored
        counted.record(-1, 5); // negative: ignored
        MicrometerLatency.Snapshot a = one.snapshot();
        MicrometerLatency.Snapshot b = counted.snapshot();
        assertThat(b.count()).isEqualTo(a.count()).isEqualTo(1001);
        assertThat(b.sumSeconds()).isCloseTo(a.sumSeconds(), within(1e-6));
        assertThat(b.maxSeconds()).isEqualTo(a.maxSeconds()).isCloseTo(1200.0, within(0.001));
        assertThat(b.cumulativeCounts()).containsExactly(a.cumulativeCounts());
        // 20 minutes is above the last bucket (600 s): only in +Inf, which is the count
        assertThat(b.cumulativeCounts()[b.cumulativeCounts().length - 1]).isEqualTo(1000);
        assertThat(b.percentileValues()).containsExactly(a.percentileValues());
        assertThat(b.percentileValues()[0]).as("p50").isCloseTo(0.003, within(0.0001));
        assertThat(b.percentileValues()[1]).as("p99").isCloseTo(2.0, within(0.02));
        assertThat(counted.p99Millis()).isCloseTo(2000.0, within(20.0));
    }

    @Test
    void percentilesForgetASampleOneMinuteAfterItButCountsAndBucketsKeepIt() {
        MockClock clock = new MockClock();
        MicrometerLatency h = new MicrometerLatency("SINK", "k1", "BatchLatency", clock);
        h.record(TimeUnit.MILLISECONDS.toNanos(50), 10);
        clock.add(59, TimeUnit.SECONDS);
        h.record(TimeUnit.MILLISECONDS.toNanos(1), 10);
        assertThat(h.snapshot().percentileValues()[2]).as("p99.9 at 59 s").isCloseTo(0.050, within(0.001));
        clock.add(1, TimeUnit.SECONDS);
        MicrometerLatency.Snapshot s = h.snapshot();
        assertThat(s.percentileValues()[2]).as("p99.9 at 60 s").isCloseTo(0.001, within(0.0001));
        assertThat(s.count()).isEqualTo(20);
        assertThat(s.cumulativeCounts()[s.cumulativeCounts().length - 1]).isEqualTo(20);
        // after an hour without samples nothing recent is left; the first new one shows alone
        clock.add(1, TimeUnit.HOURS);
        assertThat(h.snapshot().percentileValues()).containsOnly(0.0);
        h.record(TimeUnit.MILLISECONDS.toNanos(7));
        assertThat(h.snapshot().percentileValues()[1]).isCloseTo(0.007, within(0.0001));
        assertThat(h.snapshot().count()).isEqualTo(21);
    }

    @Test
    void channelCommitsAreMeasuredAndShownAsP99InFlumeJson() {
        ChannelCounter counter = new ChannelCounter("c1");
        MemoryChannel c = new MemoryChannel("c1", "a1.channels.c1", 100, 100, 0, 0, counter);
        c.start();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.put(Event.ofString("x"));
            tx.commit();
        }
        try (Transaction tx = c.getTransaction()) { // an empty transaction is not a sample
            tx.begin();
            tx.commit();
        }
        assertThat(count(counter, ChannelCounter.PUT_COMMIT_LATENCY)).isEqualTo(1);
        assertThat(count(counter, ChannelCounter.TAKE_COMMIT_LATENCY)).isZero();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.take();
            tx.commit();
        }
        assertThat(count(counter, ChannelCounter.TAKE_COMMIT_LATENCY)).isEqualTo(1);
        Map<String, Number> snap = counter.snapshot();
        assertThat(snap).containsKeys("PutCommitLatencyP99Ms", "TakeCommitLatencyP99Ms");
        assertThat(snap.get("PutCommitLatencyP99Ms").doubleValue()).isPositive();
        CounterRegistry registry = new CounterRegistry();
        registry.register(counter);
        assertThat(FlumeJson.render(registry)).contains("\"PutCommitLatencyP99Ms\":\"", "\"TakeCommitLatencyP99Ms\":\"");
    }

    @Test
    void sinkMeasuresBatchesAndEndToEndFromTheTimestampHeader() throws Exception {
        long minuteAgo = System.currentTimeMillis() - 60_000;
        SinkCounter counter = new SinkCounter("k1");
        NullSink sink = deliverOnce(counter, Event.builder().header("timestamp", Long.toString(minuteAgo)).body("a")
                .build(), Event.builder().header("timestamp", "not a number").body("b").build(),
                Event.ofString("no timestamp"));
        sink.process(); // empty: no batch latency
        assertThat(count(counter, SinkCounter.BATCH_LATENCY)).isEqualTo(1);
        assertThat(count(counter, SinkCounter.END_TO_END_LATENCY)).isEqualTo(1);
        assertThat(counter.snapshot().get("EndToEndLatencyP99Ms").doubleValue()).isGreaterThanOrEqualTo(59_000.0);
        assertThat(counter.snapshot()).containsKey("BatchLatencyP99Ms");
    }

    @Test
    void eventsSharingATimestampAreEachCountedInTheEndToEndLatency() throws Exception {
        long now = System.currentTimeMillis();
        String[] stamps = {"x", "y", "y", "y", "z", "y", "future"};
        Map<String, String> value = Map.of("x", Long.toString(now - 2_000), "y", Long.toString(now - 30_000), "z",
                Long.toString(now - 30_000), "future", Long.toString(now + 3_600_000));
        Event[] events = new Event[stamps.length + 1];
        for (int i = 0; i < stamps.length; i++) {
            events[i] = Event.builder().header("timestamp", value.get(stamps[i])).body(stamps[i]).build();
        }
        events[stamps.length] = Event.ofString("no timestamp");
        SinkCounter counter = new SinkCounter("k1");
        deliverOnce(counter, events);
        MicrometerLatency.Snapshot s = ((MicrometerLatency) counter.latencies().get(SinkCounter.END_TO_END_LATENCY))
                .snapshot();
        assertThat(s.count()).as("every event with a timestamp not in the future").isEqualTo(6);
        assertThat(s.sumSeconds()).isCloseTo(2 + 5 * 30, within(1.0));
        assertThat(s.percentileValues()[0]).as("p50").isCloseTo(30.0, within(1.0));
    }

    @Test
    void prometheusShowsHistogramSummaryAndMax() {
        SinkCounter counter = new SinkCounter("k1");
        counter.batchLatency(TimeUnit.MILLISECONDS.toNanos(3));
        CounterRegistry registry = new CounterRegistry();
        registry.register(counter);
        String text = PrometheusText.render("a1", registry);
        String labels = "agent=\"a1\",kind=\"sink\",component=\"k1\"";
        assertThat(text)
                .contains("# TYPE sluice_batch_latency_seconds histogram\n")
                .contains("sluice_batch_latency_seconds_bucket{" + labels + ",le=\"0.0025\"} 0\n")
                .contains("sluice_batch_latency_seconds_bucket{" + labels + ",le=\"0.005\"} 1\n")
                .contains("sluice_batch_latency_seconds_bucket{" + labels + ",le=\"+Inf\"} 1\n")
                .contains("sluice_batch_latency_seconds_count{" + labels + "} 1\n")
                .contains("# TYPE sluice_batch_latency_recent_seconds summary\n")
                .contains("sluice_batch_latency_recent_seconds{" + labels + ",quantile=\"0.99\"} ")
                .contains("# TYPE sluice_batch_latency_max_seconds gauge\n")
                .contains("# TYPE sluice_end_to_end_latency_seconds histogram\n")
                .doesNotContain("p99_ms");
    }

    /** Puts {@code events} into a memory channel in one transaction; a started null sink takes them once. */
    private static NullSink deliverOnce(SinkCounter counter, Event... events) throws Exception {
        MemoryChannel c = new MemoryChannel("c1", "a1.channels.c1", 100, 100, 0, 0, new ChannelCounter("c1"));
        c.start();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (Event e : events) {
                tx.put(e);
            }
            tx.commit();
        }
        NullSink sink = new NullSink(counter);
        sink.setChannel(c);
        sink.start();
        sink.process();
        return sink;
    }

    private static long count(CounterGroup g, String key) {
        return ((MicrometerLatency) g.latencies().get(key)).snapshot().count();
    }
}
