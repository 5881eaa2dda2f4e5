package io.sluice.core.runner;

import io.sluice.api.EventDeliveryException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner's logging decision, on a hand-moved clock. */
class RunnerErrorLogTest {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(5);

    private final AtomicLong now = new AtomicLong(1_000);
    private final RunnerErrorLog log = new RunnerErrorLog(INTERVAL, now::get);

    private static EventDeliveryException refused(int events) {
        return new EventDeliveryException("[a1.sinks.k1] sending " + events + " event(s) failed: status FAILED");
    }

    @Test
    void repeatsOfOneFailureAreLoggedOncePerIntervalAndCountedInBetween() {
        assertThat(log.failed(refused(100))).isTrue();
        now.addAndGet(INTERVAL / 5);
        assertThat(log.failed(refused(100))).isFalse();
        assertThat(log.failed(refused(37))).as("numbers aside, the same failure").isFalse();
        now.addAndGet(INTERVAL);
        assertThat(log.failed(refused(100))).isTrue();
        assertThat(log.takeSuppressed()).isEqualTo(2);
        assertThat(log.takeSuppressed()).isZero();
    }

    @Test
    void aDifferentFailureIsNeverHeldBackEvenRightAfterARepeat() {
        assertThat(log.failed(refused(100))).isTrue();
        assertThat(log.failed(refused(100))).isFalse();
        assertThat(log.failed(new EventDeliveryException("[a1.sinks.k1] the sink cannot go on: the producer was"
                + " fenced"))).as("a sink giving up").isTrue();
        assertThat(log.failed(new IllegalStateException("[a1.sinks.k1] sending 100 event(s) failed: status FAILED")))
                .as("another exception class with the same words").isTrue();
        assertThat(log.failed(refused(100))).as("back to the first failure is a change too").isTrue();
    }

    @Test
    void aSuccessEndsTheRunAndIsReportedOnlyWhenTheRunWasLogged() {
        assertThat(log.succeeded()).as("no failure before").isZero();
        assertThat(log.failed(refused(100))).isTrue();
        assertThat(log.failed(refused(100))).isFalse();
        assertThat(log.failed(refused(100))).isFalse();
        assertThat(log.succeeded()).isEqualTo(3);
        assertThat(log.succeeded()).isZero();

        // the same failure again right after the success is still a repeat: held back, and so is its recovery
        assertThat(log.failed(refused(100))).isFalse();
        assertThat(log.succeeded()).isZero();
    }

    @Test
    void signatureKeepsClassAndWordsAndFoldsNumbers() {
        assertThat(RunnerErrorLog.signature(new IllegalStateException("port 4141 closed after 12 ms")))
                .isEqualTo("java.lang.IllegalStateException: port # closed after # ms");
        assertThat(RunnerErrorLog.signature(new IllegalStateException()))
                .isEqualTo("java.lang.IllegalStateException: ");
    }
}
