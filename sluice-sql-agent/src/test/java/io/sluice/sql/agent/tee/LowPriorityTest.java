package io.sluice.sql.agent.tee;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Lowering a thread's priority on the machine the tests run on (Linux with renice; skipped elsewhere). */
class LowPriorityTest {
    @Test
    void aThreadLowersItsOwnPriorityAndNoOtherThreadsOfTheProcess() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        long me = LowPriority.currentThreadId();
        int mine = LowPriority.niceOf(me);
        assertThat(mine).isNotEqualTo(Integer.MIN_VALUE);
        AtomicReference<String> why = new AtomicReference<>("not run");
        AtomicInteger niceAfter = new AtomicInteger();
        Thread t = new Thread(() -> {
            why.set(LowPriority.lowerCurrentThread());
            niceAfter.set(LowPriority.niceOf(LowPriority.currentThreadId()));
        }, "low-priority-test");
        t.start();
        t.join();
        assumeTrue(why.get() == null || !why.get().startsWith("renice could not be run"), "renice is not installed");
        assertThat(why.get()).isNull();
        assertThat(niceAfter.get()).isEqualTo(LowPriority.NICE);
        assertThat(LowPriority.niceOf(me)).as("the calling test thread keeps its priority").isEqualTo(mine);
    }
}
