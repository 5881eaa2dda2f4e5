package io.sluice.core.runner;

import io.sluice.api.Status;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PollingRunnerTest {

    @Test
    void backoffGrowsByTheIncrementUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(5000));
        assertThat(b.afterBackoffs(1)).isEqualTo(1000);
        assertThat(b.afterBackoffs(3)).isEqualTo(3000);
        assertThat(b.afterBackoffs(9)).isEqualTo(5000);
    }

    @Test
    void keepsCallingThroughBackoffsAndErrorsAndStopsPromptlyDuringALongWait() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        PollingRunner r = new PollingRunner("test", () -> {
            int n = calls.incrementAndGet();
            if (n % 3 == 0) {
                throw new IllegalStateException("boom " + n);
            }
            return n % 3 == 1 ? Status.BACKOFF : Status.READY;
        }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)));
        r.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() >= 30);
        r.stop();
        assertThat(r.isRunning()).isFalse();
        assertThat(r.backoffs()).isPositive();
        assertThat(r.errors()).isPositive();

        // a back-off and a stop grace of a day: only the stop signal itself can end the wait in time
        long day = TimeUnit.DAYS.toMillis(1);
        PollingRunner slow = new PollingRunner("slow", () -> Status.BACKOFF,
                new Backoff(Duration.ofMillis(day), Duration.ofMillis(day)), day);
        slow.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.backoffs() == 1);
        Thread stopper = new Thread(slow::stop, "stopper");
        stopper.setDaemon(true);
        stopper.start();
        await("the stop ending the back-off wait").atMost(Duration.ofSeconds(30)).until(() -> !slow.isRunning());
        stopper.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(stopper.isAlive()).as("stop() returned").isFalse();
        assertThat(slow.backoffs()).isEqualTo(1);
    }

    @Test
    void dataArrivedEndsABackoffWaitButNotTheWaitAfterAnError() throws Exception {
        long day = TimeUnit.DAYS.toMillis(1);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch secondCall = new CountDownLatch(1);
        PollingRunner r = new PollingRunner("data", () -> {
            if (calls.incrementAndGet() == 2) {
                secondCall.countDown();
            }
            return Status.BACKOFF;
        }, new Backoff(Duration.ofMillis(day), Duration.ofMillis(day)), 100);
        r.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> r.backoffs() == 1);
            r.dataArrived();
            assertThat(secondCall.await(30, TimeUnit.SECONDS)).as("woken by dataArrived()").isTrue();
        } finally {
            r.stop();
        }

        AtomicInteger failing = new AtomicInteger();
        PollingRunner f = new PollingRunner("failing", () -> {
            failing.incrementAndGet();
            throw new IllegalStateException("downstream is down");
        }, new Backoff(Duration.ofMillis(day), Duration.ofMillis(day)), 100);
        f.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.errors() == 1);
            for (int i = 0; i < 1000; i++) {
                f.dataArrived();
            }
            // the error wait goes on: a wake() (what stop and drain use) is the only way out
            assertThat(failing.get()).isEqualTo(1);
            f.wake();
            await().atMost(Duration.ofSeconds(30)).until(() -> failing.get() == 2);
        } finally {
            f.stop();
        }
    }
}
