package io.sluice.core.channel.memory;

import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MemoryChannelTest {

    private static MemoryChannel channel(int capacity, int txCapacity, long byteLimit, long keepAliveMillis) {
        MemoryChannel c = new MemoryChannel("c1", "a1.channels.c1", capacity, txCapacity, byteLimit, keepAliveMillis,
                new ChannelCounter("c1"));
        c.start();
        return c;
    }

    private static List<Event> events(int from, int n) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(Event.ofString(Integer.toString(i)));
        }
        return out;
    }

    private static void put(MemoryChannel c, List<Event> events) {
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.putAll(events);
            tx.commit();
        }
    }

    private static List<String> takeAll(MemoryChannel c, int max) {
        List<Event> out = new ArrayList<>();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.takeBatch(max, out);
            tx.commit();
        }
        List<String> bodies = new ArrayList<>();
        out.forEach(e -> bodies.add(e.bodyAsString()));
        return bodies;
    }

    @Test
    void committedPutsAreTakenInOrder() {
        MemoryChannel c = channel(10, 10, 0, 0);
        put(c, events(0, 3));
        put(c, events(3, 2));
        assertThat(c.size()).isEqualTo(5);
        assertThat(takeAll(c, 10)).containsExactly("0", "1", "2", "3", "4");
        assertThat(c.size()).isZero();
    }

    @Test
    void uncommittedPutsAreInvisibleAndRolledBackPutsVanish() {
        MemoryChannel c = channel(10, 10, 0, 0);
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.putAll(events(0, 3));
            assertThat(c.size()).isZero();
            tx.rollback();
        }
        assertThat(c.size()).isZero();
        assertThat(takeAll(c, 10)).isEmpty();
    }

    @Test
    void rollbackOfTakesRestoresOrderAtTheHead() {
        MemoryChannel c = channel(100, 10, 0, 0);
        put(c, events(0, 10));
        put(c, events(10, 5));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            List<Event> out = new ArrayList<>();
            assertThat(tx.takeBatch(4, out)).isEqualTo(4);
            assertThat(tx.take().bodyAsString()).isEqualTo("4");
            tx.rollback();
        }
        assertThat(takeAll(c, 10)).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(takeAll(c, 10)).containsExactly("10", "11", "12", "13", "14");
    }

    @Test
    void closingAnOpenTransactionRollsBack() {
        MemoryChannel c = channel(10, 10, 0, 0);
        put(c, events(0, 2));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.take();
        }
        assertThat(c.size()).isEqualTo(2);
    }

    /** Starts a put of {@code events} on a thread of its own; its failure, if any, lands in {@code failure}. */
    private static Thread startPut(MemoryChannel c, List<Event> events, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                put(c, events);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "blocked-put");
        t.start();
        return t;
    }

    /** Waits until {@code t} is parked in a timed wait: the commit is waiting for space. */
    private static void awaitWaitingForSpace(Thread t) {
        await("put waiting for space").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                .until(() -> t.getState() == Thread.State.TIMED_WAITING || !t.isAlive());
        assertThat(t.isAlive()).as("the put is still waiting").isTrue();
    }

    @Test
    void fullChannelWaitsKeepAliveThenThrowsChannelFullNamingTheChannel() throws Exception {
        MemoryChannel c = channel(5, 5, 0, 1000);
        put(c, events(0, 4));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread putter = startPut(c, events(4, 2), failure);
        awaitWaitingForSpace(putter);
        assertThat(failure.get()).as("failed before keep-alive").isNull();
        putter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(putter.isAlive()).isFalse();
        assertThat(failure.get())
                .isInstanceOf(ChannelFullException.class)
                .hasMessageContaining("a1.channels.c1")
                .hasMessageContaining("capacity")
                .hasMessageContaining("after waiting keep-alive 1000 ms");
        assertThat(c.size()).isEqualTo(4);
    }

    @Test
    void waitingCommitSucceedsWhenASinkMakesRoom() throws Exception {
        MemoryChannel c = channel(5, 5, 0, 10_000);
        put(c, events(0, 5));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread putter = startPut(c, events(5, 3), failure);
        awaitWaitingForSpace(putter);
        assertThat(c.size()).as("nothing of the waiting put is visible").isEqualTo(5);
        assertThat(takeAll(c, 5)).containsExactly("0", "1", "2", "3", "4");
        putter.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(putter.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(takeAll(c, 5)).containsExactly("5", "6", "7");
    }

    @Test
    void takenButUncommittedEventsStillOccupyCapacity() {
        MemoryChannel c = channel(4, 4, 0, 0);
        put(c, events(0, 4));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.takeBatch(2, new ArrayList<>());
            assertThatThrownBy(() -> put(c, events(4, 1))).isInstanceOf(ChannelFullException.class);
            tx.commit();
        }
        put(c, events(4, 2));
        assertThat(c.size()).isEqualTo(4);
    }

    @Test
    void putBeyondTransactionCapacityFailsAsChannelFull() {
        MemoryChannel c = channel(100, 3, 0, 0);
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.putAll(events(0, 2));
            assertThatThrownBy(() -> tx.putAll(events(2, 2)))
                    .isInstanceOf(ChannelFullException.class)
                    .hasMessageContaining("transactionCapacity");
            tx.put(Event.ofString("x"));
            assertThatThrownBy(() -> tx.put(Event.ofString("y"))).isInstanceOf(ChannelFullException.class);
        }
    }

    @Test
    void takeBeyondTransactionCapacityIsRefused() {
        MemoryChannel c = channel(100, 3, 0, 0);
        put(c, events(0, 3));
        put(c, events(3, 3));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            List<Event> out = new ArrayList<>();
            assertThat(tx.takeBatch(10, out)).isEqualTo(3);
            assertThatThrownBy(tx::take).isInstanceOf(ChannelException.class).hasMessageContaining("at most 3");
            tx.commit();
        }
    }

    @Test
    void byteCapacityRefusesBodiesThatDoNotFit() {
        MemoryChannel c = channel(100, 100, 10, 0);
        put(c, List.of(Event.ofString("12345"), Event.ofString("123")));
        assertThatThrownBy(() -> put(c, List.of(Event.ofString("123"))))
                .isInstanceOf(ChannelFullException.class)
                .hasMessageContaining("byte");
        takeAll(c, 1);
        put(c, List.of(Event.ofString("123")));
        assertThat(c.bytesUsed()).isEqualTo(6);
    }

    @Test
    void countersFollowPutsAndTakes() {
        ChannelCounter counter = new ChannelCounter("c1");
        MemoryChannel c = new MemoryChannel("c1", "a1.channels.c1", 10, 10, 0, 0, counter);
        c.start();
        put(c, events(0, 4));
        takeAll(c, 3);
        assertThat(counter.get(ChannelCounter.PUT_ATTEMPT)).isEqualTo(4);
        assertThat(counter.get(ChannelCounter.PUT_SUCCESS)).isEqualTo(4);
        assertThat(counter.get(ChannelCounter.TAKE_SUCCESS)).isEqualTo(3);
        assertThat(counter.get(ChannelCounter.SIZE)).isEqualTo(1);
        assertThat(counter.get(ChannelCounter.CAPACITY)).isEqualTo(10);
        assertThat(counter.snapshot().get(ChannelCounter.FILL_PERCENTAGE).doubleValue()).isEqualTo(10.0);
    }

    @Test
    void ringGrowsAndWrapsWithoutLosingOrder() {
        MemoryChannel c = channel(5000, 1000, 0, 0);
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 20; round++) {
            put(c, events(next, 700));
            next += 700;
            for (String b : takeAll(c, 500)) {
                assertThat(b).isEqualTo(Integer.toString(expected++));
            }
        }
        while (c.size() > 0) {
            for (String b : takeAll(c, 1000)) {
                assertThat(b).isEqualTo(Integer.toString(expected++));
            }
        }
        assertThat(expected).isEqualTo(next);
    }

    @Test
    void transactionMisuseNamesTheState() {
        MemoryChannel c = channel(10, 10, 0, 0);
        Transaction tx = c.getTransaction();
        assertThatThrownBy(() -> tx.put(Event.ofString("x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("put() called when transaction is NEW");
        tx.begin();
        tx.put(Event.ofString("x"));
        tx.commit();
        assertThatThrownBy(() -> tx.put(Event.ofString("y")))
                .hasMessageContaining("put() called when transaction is COMMITTED");
        assertThatThrownBy(tx::rollback).hasMessageContaining("rollback() called when transaction is COMMITTED");
        tx.close();
        assertThatThrownBy(tx::take).hasMessageContaining("take() called when transaction is CLOSED");
        assertThatThrownBy(tx::begin).hasMessageContaining("begin() called when transaction is CLOSED");
    }

    @Test
    void transactionIsOwnedByTheThreadThatCreatedIt() throws Exception {
        MemoryChannel c = channel(10, 10, 0, 0);
        Transaction tx = c.getTransaction();
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                tx.begin();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owned by thread");
        tx.close();
    }

    private static List<String> takeSingly(Transaction tx, int n) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(tx.take().bodyAsString());
        }
        return bodies;
    }

    @Test
    void singleTakesCommitExactlyWhatWasServedAndLeaveTheRestInOrder() {
        ChannelCounter counter = new ChannelCounter("c1");
        MemoryChannel c = new MemoryChannel("c1", "a1.channels.c1", 100, 50, 1000, 0, counter);
        c.start();
        put(c, events(0, 40));
        for (int served : new int[] {1, 2, 3, 5, 9, 17}) {
            try (Transaction tx = c.getTransaction()) {
                tx.begin();
                takeSingly(tx, served);
                tx.commit();
            }
        }
        // 37 served in all, in order; what the read-ahead held but did not serve is back at the head
        assertThat(c.size()).isEqualTo(3);
        assertThat(counter.get(ChannelCounter.TAKE_SUCCESS)).isEqualTo(37);
        assertThat(c.bytesUsed()).isEqualTo(6); // "37", "38", "39"
        assertThat(takeAll(c, 10)).containsExactly("37", "38", "39");
    }

    @Test
    void singleTakesThenABatchContinueInChannelOrder() {
        MemoryChannel c = channel(100, 50, 0, 0);
        put(c, events(0, 30));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            assertThat(takeSingly(tx, 5)).containsExactly("0", "1", "2", "3", "4");
            List<Event> out = new ArrayList<>();
            assertThat(tx.takeBatch(3, out)).isEqualTo(3);
            assertThat(out).extracting(Event::bodyAsString).containsExactly("5", "6", "7");
            assertThat(tx.take().bodyAsString()).isEqualTo("8");
            tx.commit();
        }
        assertThat(c.size()).isEqualTo(21);
        assertThat(takeAll(c, 3)).containsExactly("9", "10", "11");
    }

    @Test
    void rollbackOfSingleTakesReturnsServedAndReadAheadEventsInOrder() {
        MemoryChannel c = channel(100, 50, 0, 0);
        put(c, events(0, 20));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            takeSingly(tx, 6);
            tx.rollback();
        }
        assertThat(c.size()).isEqualTo(20);
        assertThat(takeAll(c, 50)).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
                "12", "13", "14", "15", "16", "17", "18", "19");
    }

    @Test
    void singleTakesStopAtTransactionCapacity() {
        MemoryChannel c = channel(100, 4, 0, 0);
        put(c, events(0, 4));
        put(c, events(4, 4));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            assertThat(takeSingly(tx, 4)).containsExactly("0", "1", "2", "3");
            assertThatThrownBy(tx::take).isInstanceOf(ChannelException.class).hasMessageContaining("at most 4");
            tx.commit();
        }
        assertThat(c.size()).isEqualTo(4);
    }

    @Test
    void anEventReadAheadStillOccupiesCapacityUntilCommit() {
        MemoryChannel c = channel(8, 8, 0, 0);
        put(c, events(0, 8));
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            takeSingly(tx, 3);
            assertThatThrownBy(() -> put(c, events(8, 1))).isInstanceOf(ChannelFullException.class);
            tx.commit();
        }
        put(c, events(8, 3));
        assertThat(c.size()).isEqualTo(8);
        assertThat(takeAll(c, 1)).containsExactly("3");
    }
}
