package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.selector.ReplicatingChannelSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Helpers for tests: build a channel in a directory, put and take numbered events. */
public final class TestChannels {
    private TestChannels() {
    }

    static FileChannelConfig config(Path root) {
        return FileChannelConfig.of(root.resolve("checkpoint"), List.of(root.resolve("data")));
    }

    static FileChannel open(FileChannelConfig config) {
        FileChannel ch = new FileChannel("c1", "[a1.channels.c1]", config, new ChannelCounter("c1"), Clock.systemUTC());
        ch.start();
        return ch;
    }

    /** Makes {@code ch} the only channel of {@code source}, wired as an agent wires it (replicating selector). */
    static void connect(Source source, FileChannel ch) {
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(ch));
        source.setChannelProcessor(new DefaultChannelProcessor("a1.sources.r1", selector, List.of(),
                new CounterGroup("CHANNEL_PROCESSOR", "r1")));
    }

    public static void putRange(Channel ch, int from, int to) {
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (int i = from; i < to; i++) {
                tx.put(event(i));
            }
            tx.commit();
        }
    }

    public static Event event(int i) {
        return Event.builder().header("n", Integer.toString(i)).body("event-" + i).build();
    }

    public static int number(Event e) {
        return Integer.parseInt(e.header("n"));
    }

    /** Takes and commits up to {@code max} events and returns their numbers. */
    public static List<Integer> take(Channel ch, int max) {
        List<Integer> nums = new ArrayList<>();
        for (Event e : takeEvents(ch, max)) {
            nums.add(number(e));
        }
        return nums;
    }

    /** Takes and commits up to {@code max} events. */
    public static List<Event> takeEvents(Channel ch, int max) {
        List<Event> out = new ArrayList<>();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.takeBatch(max, out);
            tx.commit();
        }
        return out;
    }

    /** Takes and commits everything, in batches. */
    public static List<Integer> drain(Channel ch) {
        List<Integer> all = new ArrayList<>();
        while (true) {
            List<Integer> got = take(ch, 1000);
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
        }
    }

    public static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    /**
     * Starts {@code main} in a child JVM with this test's class path, as
     * {@code main <mode> <dir> <protocolFile>}; its output goes to {@code <dir>/<mode>.out}.
     */
    static Process worker(Class<?> main, String mode, Path dir, Path protocolFile) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", cp, main.getName(), mode, dir.toString(), protocolFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(mode + ".out").toFile()).start();
    }

    /** What the worker started with {@code mode} in {@code dir} printed so far. */
    static String workerOutput(Path dir, String mode) throws IOException {
        Path out = dir.resolve(mode + ".out");
        return Files.exists(out) ? Files.readString(out) : "";
    }
}
