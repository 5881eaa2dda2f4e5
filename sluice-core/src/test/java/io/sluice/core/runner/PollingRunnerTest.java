package io.sluice.core.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollingRunnerTest {

    @Test
    void backoffGrowsByTheIncrementUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(5000));
        assertThat(b.afterBackoffs(1)).isEqualTo(1000);
        assertThat(b.afterBackoffs(3)).isEqualTo(3000);
        assertThat(b.afterBackoffs(9)).isEqualTo(5000);
    }

    @Test
    void keepsCallingThroughBackoffsAndErrorsAndStopsPromptlyDuringALongWait() {
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

        PollingRunner slow = new PollingRunner("slow", () -> Status.BACKOFF,
                new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(60)));
        slow.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.backoffs() == 1);
        long t = System.nanoTime();
        slow.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(5));
    }
}
