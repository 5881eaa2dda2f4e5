package io.sluice.core.source.syslog;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A syslog source of a test, writing into the agent's real memory channel ({@link MemoryPipe},
 * 1000 events): created from its factory with {@code host = 127.0.0.1} and the test's keys (which
 * must raise no problem), started, and stopped by {@link #close()}. Not thread-safe.
 */
final class SourceUnderTest implements AutoCloseable {
    final MemoryPipe pipe = new MemoryPipe(1000, 10);
    private Source source;
    private TestContexts context;

    void start(ComponentFactory<Source> factory, Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(Map.of("host", "127.0.0.1"));
        all.putAll(keys);
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", all);
        source = factory.create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        context = ctx;
        source.setChannelProcessor(pipe.processor());
        source.start();
    }

    /** Stops {@code other} at {@link #close()} too (a source the test built itself). */
    void stopAtClose(Source other) {
        source = other;
    }

    /** At least {@code n} events from the channel, waiting up to 20 s for them. */
    List<Event> received(int n) {
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(pipe.drain());
            return got.size() >= n;
        });
        return got;
    }

    /** The source's counter {@code name}. */
    long counter(String name) {
        return context.counters().find("SOURCE", "r1").get(name);
    }

    @Override
    public void close() {
        if (source != null) {
            source.stop();
        }
    }
}
