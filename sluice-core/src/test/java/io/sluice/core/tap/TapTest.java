package io.sluice.core.tap;

import io.sluice.api.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TapTest {
    private static List<Event> events(int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Event.ofString("e" + i));
        }
        return out;
    }

    @Test
    void aFullTapDropsAndCountsInsteadOfBlocking() throws Exception {
        TapPoint point = new TapRegistry().point(TapKind.CHANNEL, "c1");
        try (Tap tap = point.open(10)) {
            point.publish(events(25));
            point.publish(events(5));
            assertThat(tap.queued()).isEqualTo(10);
            assertThat(tap.dropped()).isEqualTo(20);
            assertThat(tap.offered()).isEqualTo(30);
            assertThat(new String(tap.poll(1, TimeUnit.SECONDS).body())).isEqualTo("e0");
            List<Event> rest = new ArrayList<>();
            assertThat(tap.drainTo(rest, 100)).isEqualTo(9);
            point.publish(events(1));
            assertThat(tap.queued()).isEqualTo(1);
        }
    }

    @Test
    void batchesAreQueuedWholeOrAsAPrefixAndReadAcrossTheirBoundariesInOrder() throws Exception {
        TapPoint point = new TapRegistry().point(TapKind.SOURCE, "r1");
        try (Tap tap = point.open(5)) {
            List<Event> batch = events(3);
            point.publish(batch);
            batch.set(0, Event.ofString("changed by its publisher after the call"));
            point.publish(List.of(Event.ofString("d"), Event.ofString("e"), Event.ofString("f")));
            assertThat(tap.queued()).isEqualTo(5);
            assertThat(tap.dropped()).isEqualTo(1);
            List<Event> out = new ArrayList<>();
            assertThat(tap.drainTo(out, 4)).isEqualTo(4);
            assertThat(out).extracting(e -> new String(e.body())).containsExactly("e0", "e1", "e2", "d");
            assertThat(tap.queued()).isEqualTo(1);
            point.publish(events(4));
            assertThat(tap.queued()).isEqualTo(5);
            assertThat(new String(tap.poll(1, TimeUnit.SECONDS).body())).isEqualTo("e");
            out.clear();
            assertThat(tap.drainTo(out, 100)).isEqualTo(4);
            assertThat(out).extracting(e -> new String(e.body())).containsExactly("e0", "e1", "e2", "e3");
            assertThat(tap.poll(0, TimeUnit.MILLISECONDS)).isNull();
            assertThat(tap.dropped()).isEqualTo(1);
        }
    }

    @Test
    void eachTapGetsEveryEventAndAClosedTapNoMore() {
        TapPoint point = new TapRegistry().point(TapKind.SINK, "k1");
        assertThat(point.active()).isFalse();
        Tap a = point.open(100);
        Tap b = point.open(100);
        point.publish(events(3));
        assertThat(a.queued()).isEqualTo(3);
        assertThat(b.queued()).isEqualTo(3);
        a.close();
        point.publish(events(2));
        assertThat(a.queued()).isZero();
        assertThat(b.queued()).isEqualTo(5);
        assertThat(point.openTaps()).isEqualTo(1);
        b.close();
        b.close();
        assertThat(point.active()).isFalse();
    }

    @Test
    void thePointOfANameIsKeptForItsRebuiltComponent() {
        TapRegistry registry = new TapRegistry();
        TapPoint first = registry.point(TapKind.SOURCE, "r1");
        assertThat(registry.point(TapKind.SOURCE, "r1")).isSameAs(first);
        assertThat(registry.point(TapKind.SINK, "r1")).isNotSameAs(first);
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new TapRegistry().point(TapKind.SOURCE, "r1").open(0))
                .hasMessage("capacity: 0 (expected: > 0)");
    }

    @Test
    void aBatchIsReadAsTheViewItWasQueuedAsAndAWaitingReaderWakesAtTheLevelItAskedFor() throws Exception {
        List<Event> batch = events(3);
        TapPoint point = new TapRegistry().point(TapKind.SOURCE, "r1");
        try (Tap tap = point.open(100)) {
            point.publish(batch);
            List<Event> read = tap.pollBatch(10);
            assertThat(read).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(read.get(i)).isSameAs(batch.get(i));
            }
            assertThat(tap.pollBatch(10)).isNull();

            point.publish(events(4));
            assertThat(tap.pollBatch(3)).extracting(e -> new String(e.body())).containsExactly("e0", "e1", "e2");
            assertThat(tap.queued()).isEqualTo(1);
            // fewer than asked for: the wait ends at its deadline, saying so
            assertThat(tap.awaitQueued(5, 50, TimeUnit.MILLISECONDS)).isFalse();
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < 4; i++) {
                    point.publish(events(1));
                }
            });
            publisher.start();
            assertThat(tap.awaitQueued(5, 30, TimeUnit.SECONDS)).isTrue();
            publisher.join();
            assertThat(tap.queued()).isEqualTo(5);
            // a level above the capacity is capped at it
            point.publish(events(200));
            assertThat(tap.awaitQueued(1000, 30, TimeUnit.SECONDS)).isTrue();
            assertThat(tap.dropped()).isEqualTo(105);
        }
    }
}
