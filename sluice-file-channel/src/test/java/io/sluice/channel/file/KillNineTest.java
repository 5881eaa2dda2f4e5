package io.sluice.channel.file;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guarantees 1-5 against real process death: a child JVM ({@link CrashWorker}) works on the
 * channel and is killed with SIGKILL ({@code destroyForcibly}) at random moments; then the channel
 * is opened here and everything left is checked against what the child acknowledged.
 */
class KillNineTest {
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    /** Warnings and errors the workers logged, shown when an assertion fails. */
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @Test
    void acknowledgedEventsSurviveKillNineAndCommittedTakesNeverReappear() throws Exception {
        Random rnd = new Random(42);
        Set<Long> committedPuts = new HashSet<>();
        Set<Long> rolledBackPuts = new HashSet<>();
        Set<Long> committedTakes = new HashSet<>();
        Set<Long> maybeTaken = new HashSet<>();
        for (int run = 0; run < KILLS; run++) {
            List<String> lines = runAndKill("load", run, 400 + rnd.nextInt(1200));
            List<Long> tentative = List.of();
            for (String l : lines) {
                if (l.startsWith("P ") || l.startsWith("U ")) {
                    String[] p = l.split(" ");
                    for (long k = Long.parseLong(p[1]); k < Long.parseLong(p[2]); k++) {
                        (l.startsWith("P ") ? committedPuts : rolledBackPuts).add(k);
                    }
                } else if (l.startsWith("t ")) {
                    tentative = new ArrayList<>();
                    for (String n : l.substring(2).split(",")) {
                        if (!n.isEmpty()) {
                            tentative.add(Long.parseLong(n));
                        }
                    }
                    maybeTaken.addAll(tentative);
                } else if (l.equals("T")) {
                    committedTakes.addAll(tentative);
                }
            }
        }
        FileChannel ch = TestChannels.open(CrashWorker.config(dir));
        List<Long> left = new ArrayList<>();
        while (true) {
            List<Event> out = new ArrayList<>();
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.takeBatch(1000, out);
                tx.commit();
            }
            if (out.isEmpty()) {
                break;
            }
            out.forEach(e -> left.add(Long.parseLong(e.header("n"))));
        }
        ch.stop();
        Set<Long> leftSet = new HashSet<>(left);
        assertThat(committedPuts).hasSizeGreaterThan(1000);
        assertThat(committedTakes).hasSizeGreaterThan(100);
        // 1: every acknowledged put is still there, unless a take of it may have committed
        Set<Long> lost = new HashSet<>(committedPuts);
        lost.removeAll(leftSet);
        lost.removeAll(maybeTaken);
        assertThat(lost).as("acknowledged puts that vanished; worker problems: %s", problems).isEmpty();
        // 2: an acknowledged take never reappears
        Set<Long> back = new HashSet<>(committedTakes);
        back.retainAll(leftSet);
        assertThat(back).as("committed takes that reappeared; worker problems: %s", problems).isEmpty();
        // 3: a rolled-back put never appears
        Set<Long> ghosts = new HashSet<>(rolledBackPuts);
        ghosts.retainAll(leftSet);
        assertThat(ghosts).as("rolled-back puts that appeared").isEmpty();
        assertThat(left).doesNotHaveDuplicates();
        // 5: each putter's events come out in the order they were put
        Map<Long, Long> lastByPutter = new HashMap<>();
        for (long k : left) {
            long putter = k / 10_000_000L;
            Long prev = lastByPutter.put(putter, k);
            assertThat(prev == null || prev < k).as("order of putter %d: %d after %d", putter, k, prev).isTrue();
        }
    }

    @Test
    void openTransactionsAtKillNineLeaveExactlyTheCommittedEventsInOrder() throws Exception {
        runAndKill("hold", 0, -1);
        FileChannel ch = TestChannels.open(CrashWorker.config(dir));
        // 3: the open put (100..109) is gone; 4: the open take (0..9) is back at the head; 5: order
        assertThat(TestChannels.drain(ch)).isEqualTo(TestChannels.range(0, 100));
        ch.stop();
    }

    /** Runs the worker, kills it with SIGKILL after {@code millis} of work (or once it says HOLDING). */
    private List<String> runAndKill(String mode, int run, long millis) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path protocolFile = dir.resolve("protocol-" + mode + "-" + run + ".txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", cp, CrashWorker.class.getName(), mode, dir.toString(), Integer.toString(run),
                protocolFile.toString()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.contains("WARN") || l.contains("ERROR") || l.contains("Exception")) {
                        problems.add(mode + " run " + run + ": " + l);
                    }
                }
            } catch (IOException e) {
                // the process died
            }
        });
        reader.start();
        String marker = mode.equals("hold") ? "HOLDING" : "STARTED";
        await().atMost(60, TimeUnit.SECONDS).until(() -> protocol(protocolFile).contains(marker) || !p.isAlive());
        assertThat(p.isAlive()).as("worker alive; problems " + problems).isTrue();
        if (millis > 0) {
            long start = System.nanoTime();
            await().atMost(60, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                    .until(() -> System.nanoTime() - start >= millis * 1_000_000L && protocol(protocolFile).size() > 20);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        assertThat(p.exitValue()).isEqualTo(137);
        return protocol(protocolFile);
    }

    /** The complete protocol lines written so far, without their {@code @@} prefix. */
    static List<String> protocol(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        for (String l : text.substring(0, Math.max(0, end)).split("\n")) {
            if (l.startsWith("@@")) {
                out.add(l.substring(2));
            }
        }
        return out;
    }
}
