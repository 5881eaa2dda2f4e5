package io.sluice.core.source.taildir;

import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.Status;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.selector.ReplicatingChannelSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.core.source.taildir.TaildirSourceTest.append;
import static io.sluice.core.source.taildir.TaildirSourceTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code readerThreads}: the files of one {@code TAILDIR} source read at once on several threads,
 * on real files, with the source's {@code process()} called as its runner would.
 */
class TaildirReaderThreadsTest {
    @TempDir
    Path dir;

    /** The source's start, stop and paths, shared with {@link TaildirSourceTest}. */
    private final TaildirSourceTest fixture = new TaildirSourceTest();

    @BeforeEach
    void useTheTempDir() {
        fixture.dir = dir;
    }

    @AfterEach
    void stop() {
        fixture.stop();
    }

    Path logs() throws IOException {
        return fixture.logs();
    }

    Path positions() {
        return fixture.positions();
    }

    /** A source of every {@code .log} file in {@link #logs()}. */
    TaildirSource start(DefaultChannelProcessor processor, Map<String, String> keys) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("filegroups.f1", logs() + "/.*\\.log"));
        all.putAll(keys);
        return fixture.start(processor, Clock.systemUTC(), all);
    }

    /** The processor of {@code pipe}'s channel with {@code interceptor} in front. */
    static DefaultChannelProcessor through(MemoryPipe pipe, Interceptor interceptor) {
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(pipe.channel()));
        DefaultChannelProcessor processor = new DefaultChannelProcessor("a1.sources.r1", selector,
                List.of(interceptor), new CounterGroup("SOURCE", "r1"));
        processor.initialize();
        return processor;
    }

    /** Sees every batch on its way to the channel. */
    interface OnBatch extends Interceptor {
        void batch(List<Event> events);

        @Override
        default Event intercept(Event event) {
            return event;
        }

        @Override
        default List<Event> intercept(List<Event> events) {
            batch(events);
            return events;
        }
    }

    /** Polls until a poll reads nothing, taking what reached the channel. */
    static List<String> readAll(TaildirSource source, MemoryPipe pipe) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 10_000 && source.process() == Status.READY; i++) {
            got.addAll(bodies(pipe));
        }
        got.addAll(bodies(pipe));
        return got;
    }

    /** Polls until {@code lines} lines reached the channel (at most 2,000 polls), into {@code got}; returns the backoffs. */
    static int pollFor(TaildirSource source, MemoryPipe pipe, int lines, List<String> got) {
        int backoffs = 0;
        for (int i = 0; i < 2000 && got.size() < lines; i++) {
            if (source.process() == Status.BACKOFF) {
                backoffs++;
            }
            got.addAll(bodies(pipe));
        }
        return backoffs;
    }

    static List<String> bodies(MemoryPipe pipe) {
        return pipe.drain().stream().map(Event::bodyAsString).toList();
    }

    /** The lines of each file (named by the prefix before the dash) in the order they arrived. */
    static Map<String, List<String>> byFile(List<String> got) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : got) {
            out.computeIfAbsent(line.substring(0, line.indexOf('-')), k -> new ArrayList<>()).add(line);
        }
        return out;
    }

    static Map<String, List<String>> expected(int files, int from, int to) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int f = 0; f < files; f++) {
            out.put("f" + f, lines("f" + f + "-", from, to));
        }
        return out;
    }

    void writeFiles(int files, int from, int to) throws IOException {
        for (int f = 0; f < files; f++) {
            append(logs().resolve("f" + f + ".log"), lines("f" + f + "-", from, to));
        }
    }

    @Test
    void filesAreReadAtOnceOnSeveralThreadsEachFilesLinesInOrderAndOnce() throws IOException {
        writeFiles(4, 0, 3000);
        MemoryPipe pipe = new MemoryPipe(1_000_000, 10);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        // the first batch of each of two threads waits for the other's: it only comes when files are read at once
        CountDownLatch two = new CountDownLatch(2);
        AtomicBoolean together = new AtomicBoolean();
        OnBatch meet = events -> {
            if (threads.add(Thread.currentThread().getName()) && two.getCount() > 0) {
                two.countDown();
                try {
                    if (two.await(10, TimeUnit.SECONDS)) {
                        together.set(true);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        TaildirSource source = start(through(pipe, meet), Map.of("readerThreads", "4", "batchSize", "50"));
        List<String> got = readAll(source, pipe);
        assertThat(together).as("two files' batches were on their way to the channel at the same time").isTrue();
        assertThat(threads).hasSizeGreaterThan(1);
        assertThat(byFile(got)).as("each file's lines in order and once").isEqualTo(expected(4, 0, 3000));
    }

    @Test
    void oneReaderThreadReadsEveryFileOnTheRunnersThread() throws IOException {
        writeFiles(3, 0, 500);
        MemoryPipe pipe = new MemoryPipe(1_000_000, 10);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        OnBatch record = events -> threads.add(Thread.currentThread().getName());
        TaildirSource source = start(through(pipe, record), Map.of("readerThreads", "1", "batchSize", "50"));
        List<String> got = readAll(source, pipe);
        assertThat(threads).containsExactly(Thread.currentThread().getName());
        assertThat(byFile(got)).isEqualTo(expected(3, 0, 500));
    }

    @Test
    void positionsAfterConcurrentBatchesAreEachFilesEndAndAnAgentThatDiedRepeatsNothing() throws IOException {
        writeFiles(6, 0, 400);
        MemoryPipe pipe = new MemoryPipe(1_000_000, 10);
        OnBatch none = events -> { };
        TaildirSource source = start(through(pipe, none), Map.of("readerThreads", "3", "batchSize", "1"));
        assertThat(byFile(readAll(source, pipe))).isEqualTo(expected(6, 0, 400));
        // abandoned without stop(), as by kill -9: the journal alone knows the batches since the start
        fixture.abandon(source);
        Map<Long, Long> recorded = new HashMap<>();
        for (PositionFile.Entry e : new PositionFile(positions()).read()) {
            recorded.put(e.inode(), e.pos());
        }
        Map<Long, Long> sizes = new HashMap<>();
        for (int f = 0; f < 6; f++) {
            Path p = logs().resolve("f" + f + ".log");
            sizes.put((Long) Files.getAttribute(p, "unix:ino"), Files.size(p));
        }
        assertThat(recorded).as("every file's position is its end").isEqualTo(sizes);
        writeFiles(6, 400, 450);
        TaildirSource again = start(through(pipe, none), Map.of("readerThreads", "3", "batchSize", "7"));
        assertThat(byFile(readAll(again, pipe))).as("only the new lines").isEqualTo(expected(6, 400, 450));
    }

    @Test
    void aRefusedBatchStopsThePollAndEveryFileGoesOnWhereItsLastCommitEnded() throws IOException {
        writeFiles(4, 0, 1000);
        // room for a few batches only: the readers' puts are refused while the test has not drained the channel
        MemoryPipe pipe = new MemoryPipe(120, 40, 1);
        OnBatch none = events -> { };
        TaildirSource source = start(through(pipe, none), Map.of("readerThreads", "4", "batchSize", "40"));
        List<String> got = new ArrayList<>();
        int backoffs = pollFor(source, pipe, 4000, got);
        assertThat(backoffs).as("the channel refused batches").isPositive();
        assertThat(byFile(got)).isEqualTo(expected(4, 0, 1000));
    }

    @Test
    void aBatchWhoseInterceptorFailedIsReadAgainNotSkipped() throws IOException {
        writeFiles(2, 0, 500);
        MemoryPipe pipe = new MemoryPipe(1_000_000, 10);
        AtomicInteger batches = new AtomicInteger();
        OnBatch failOnce = events -> {
            if (batches.incrementAndGet() == 3) {
                throw new IllegalStateException("interceptor failed on purpose");
            }
        };
        TaildirSource source = start(through(pipe, failOnce), Map.of("readerThreads", "2", "batchSize", "50"));
        List<String> got = new ArrayList<>();
        pollFor(source, pipe, 1000, got);
        assertThat(batches.get()).as("the interceptor failed once").isGreaterThan(3);
        assertThat(byFile(got)).isEqualTo(expected(2, 0, 500));
    }

    @Test
    void renameAndCreateAndCopytruncateDuringConcurrentReadsKeepEachGenerationsOrderAndLoseAndRepeatNothing() throws IOException {
        writeFiles(4, 0, 2000);
        MemoryPipe pipe = new MemoryPipe(1_000_000, 10);
        AtomicInteger batches = new AtomicInteger();
        OnBatch rotate = events -> {
            int n = batches.incrementAndGet();
            try {
                if (n == 5) {
                    // f0.log renamed away with its backlog unread, a new f0.log created
                    Files.move(logs().resolve("f0.log"), logs().resolve("f0.log.1"));
                    append(logs().resolve("f0.log"), lines("g0-", 0, 300));
                } else if (n == 9) {
                    // f1.log copied and truncated in place
                    TaildirSourceTest.copyTruncate(logs().resolve("f1.log"), logs().resolve("f1.log.1"));
                    append(logs().resolve("f1.log"), lines("g1-", 0, 300));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        TaildirSource source = start(through(pipe, rotate), Map.of("readerThreads", "4", "batchSize", "100",
                "filegroups.f1", logs() + "/f.*\\.log"));
        List<String> got = readAll(source, pipe);
        assertThat(batches.get()).as("the rotations happened").isGreaterThan(9);
        Map<String, List<String>> want = expected(4, 0, 2000);
        want.put("g0", lines("g0-", 0, 300));
        want.put("g1", lines("g1-", 0, 300));
        Map<String, List<String>> byFile = byFile(got);
        assertThat(byFile.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        want.forEach((file, lines) -> assertThat(byFile.get(file)).as(file).isEqualTo(lines));
        for (int f = 0; f < 2; f++) {
            assertThat(got.indexOf("g" + f + "-0")).as("the older generation's lines before the newer's")
                    .isGreaterThan(got.indexOf("f" + f + "-1999"));
        }
    }
}
