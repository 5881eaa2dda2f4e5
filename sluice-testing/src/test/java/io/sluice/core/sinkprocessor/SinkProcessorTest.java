package io.sluice.core.sinkprocessor;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.SinkProcessor;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.testing.CollectingSink;
import io.sluice.testing.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink processors (core) with the shared collecting sink as their sinks: it lives in this
 * module, above sluice-core, which is why this test of a core package lives here too.
 */
class SinkProcessorTest {
    private final TestClock clock = new TestClock(Instant.ofEpochMilli(1_700_000_000_000L));
    private final MemoryChannel channel = new MemoryChannel("c1", "a1.channels.c1", 1000, 100, 0, 0,
            new ChannelCounter("c1"));

    private CollectingSink sink(String name) {
        CollectingSink s = new CollectingSink(name, 10, new SinkCounter(name));
        s.setChannel(channel);
        return s;
    }

    private void put(String... bodies) {
        try (Transaction tx = channel.getTransaction()) {
            tx.begin();
            for (String b : bodies) {
                tx.put(Event.ofString(b));
            }
            tx.commit();
        }
    }

    /** Puts {@code e<from>} .. {@code e<to - 1>}, each followed by one {@code p.process()}. */
    private void putEachAndProcess(SinkProcessor p, int from, int to) throws EventDeliveryException {
        for (int i = from; i < to; i++) {
            put("e" + i);
            p.process();
        }
    }

    @Test
    void failoverMovesTrafficToTheNextSinkAndBackAfterThePenalty() throws Exception {
        CollectingSink k1 = sink("k1");
        CollectingSink k2 = sink("k2");
        FailoverSinkProcessor p = new FailoverSinkProcessor("a1.sinkgroups.g1", Map.of("k1", 10, "k2", 5), 30000, clock);
        p.setSinks(List.of(k2, k1));
        put("1");
        p.process();
        assertThat(k1.bodies()).containsExactly("1");

        k1.setFailing(true);
        put("2");
        p.process();
        assertThat(k2.bodies()).containsExactly("2");
        assertThat(p.activeSink()).isSameAs(k2);

        k1.setFailing(false);
        put("3");
        p.process();
        assertThat(k2.bodies()).containsExactly("2", "3");
        clock.advanceMillis(1000);
        put("4");
        p.process();
        assertThat(k1.bodies()).containsExactly("1", "4");
        assertThat(p.activeSink()).isSameAs(k1);
    }

    @Test
    void failoverPenaltyDoublesUpToMaxPenalty() throws Exception {
        CollectingSink k1 = sink("k1");
        CollectingSink k2 = sink("k2");
        FailoverSinkProcessor p = new FailoverSinkProcessor("g1", Map.of("k1", 10, "k2", 5), 3000, clock);
        p.setSinks(List.of(k1, k2));
        k1.setFailing(true);
        // enough events that k1 has a batch to fail on at every retry (k2 drains 10 per call)
        for (int i = 0; i < 100; i++) {
            put("e" + i);
        }
        p.process();
        assertThat(k1.attempts()).isEqualTo(1);
        clock.advanceMillis(999);
        p.process();
        assertThat(k1.attempts()).isEqualTo(1);
        clock.advanceMillis(1);
        p.process();
        assertThat(k1.attempts()).isEqualTo(2);
        clock.advanceMillis(1999);
        p.process();
        assertThat(k1.attempts()).isEqualTo(2);
        clock.advanceMillis(1);
        p.process();
        assertThat(k1.attempts()).isEqualTo(3);
        clock.advanceMillis(3000);
        p.process();
        assertThat(k1.attempts()).as("capped at maxpenalty 3000").isEqualTo(4);
    }

    @Test
    void failoverThrowsWhenEverySinkFails() {
        CollectingSink k1 = sink("k1");
        k1.setFailing(true);
        FailoverSinkProcessor p = new FailoverSinkProcessor("a1.sinkgroups.g1", Map.of(), 30000, clock);
        p.setSinks(List.of(k1));
        put("x");
        assertThatThrownBy(p::process).isInstanceOf(EventDeliveryException.class).hasMessageContaining("every sink");
        assertThat(channel.size()).isEqualTo(1);
    }

    @Test
    void roundRobinRotatesAndBackoffSkipsAFailedSink() throws Exception {
        CollectingSink k1 = sink("k1");
        CollectingSink k2 = sink("k2");
        CollectingSink k3 = sink("k3");
        BackoffSinkSelector selector = new BackoffSinkSelector(false, true, 30000, clock);
        LoadBalancingSinkProcessor p = new LoadBalancingSinkProcessor("g1", selector);
        p.setSinks(List.of(k1, k2, k3));
        putEachAndProcess(p, 0, 6);
        assertThat(k1.bodies()).containsExactly("e0", "e3");
        assertThat(k2.bodies()).containsExactly("e1", "e4");
        assertThat(k3.bodies()).containsExactly("e2", "e5");

        k2.setFailing(true);
        putEachAndProcess(p, 6, 12);
        assertThat(k2.bodies()).hasSize(2);
        assertThat(k2.attempts()).as("tried once, then backing off").isEqualTo(3);
        assertThat(selector.restoreAt(k2)).isEqualTo(clock.millis() + 1000);
        k2.setFailing(false);
        clock.advanceMillis(1000);
        int before = k2.bodies().size();
        putEachAndProcess(p, 12, 18);
        assertThat(k2.bodies().size()).isGreaterThan(before);
        assertThat(k1.bodies().size() + k2.bodies().size() + k3.bodies().size()).isEqualTo(18);
    }

    @Test
    void randomSpreadsOverAllSinks() throws Exception {
        CollectingSink k1 = sink("k1");
        CollectingSink k2 = sink("k2");
        LoadBalancingSinkProcessor p = new LoadBalancingSinkProcessor("g1",
                new BackoffSinkSelector(true, false, 30000, clock));
        p.setSinks(List.of(k1, k2));
        putEachAndProcess(p, 0, 200);
        assertThat(k1.bodies()).isNotEmpty();
        assertThat(k2.bodies()).isNotEmpty();
        assertThat(k1.bodies().size() + k2.bodies().size()).isEqualTo(200);
    }

    @Test
    void loadBalanceTriesTheNextSinkWhenOneThrowsAndThrowsWhenAllDo() throws Exception {
        CollectingSink k1 = sink("k1");
        CollectingSink k2 = sink("k2");
        k1.setFailing(true);
        LoadBalancingSinkProcessor p = new LoadBalancingSinkProcessor("g1",
                new BackoffSinkSelector(false, false, 30000, clock));
        p.setSinks(List.of(k1, k2));
        put("a");
        p.process();
        assertThat(k2.bodies()).containsExactly("a");
        k2.setFailing(true);
        put("b");
        assertThatThrownBy(p::process).isInstanceOf(EventDeliveryException.class);
        assertThat(channel.size()).isEqualTo(1);
    }
}
