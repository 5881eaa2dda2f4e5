package io.sluice.core.source.spooldir;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.source.support.RejectedInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpoolReaderTest {
    @TempDir
    Path dir;

    private final LongAdder splits = new LongAdder();

    private SpoolReader reader(Map<String, String> keys) throws IOException {
        return reader(keys, null);
    }

    private SpoolReader reader(Map<String, String> keys, RejectedInput rejected) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("type", "spooldir", "spoolDir", dir.toString()));
        all.putAll(keys);
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", all);
        SpoolSettings settings = SpoolDirectorySourceFactory.settings(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        return new SpoolReader(settings, splits, "a1.sources.r1", rejected);
    }

    private Path write(String name, String text, long mtimeMillis) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeMillis));
        return p;
    }

    private static String lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line-" + i + "\n").collect(Collectors.joining());
    }

    private static List<String> bodies(List<Event> events) {
        return events.stream().map(Event::bodyAsString).toList();
    }

    /** Reads and commits until nothing is left. */
    private static List<String> readAll(SpoolReader r) throws IOException {
        List<String> out = new ArrayList<>();
        List<Event> batch;
        while (!(batch = r.read()).isEmpty() || !r.letters().isEmpty()) {
            assertThat(r.keepLetters()).as("the dead-letter channel took the batch's long lines").isTrue();
            out.addAll(bodies(batch));
            r.commit();
        }
        return out;
    }

    @Test
    void filesAreReadOldestFirstWithHeadersAndRenamedWhenDone() throws IOException {
        write("b.log", "b1\nb2\n", 1_000_000);
        write("a.log", "a1\n", 2_000_000);
        try (SpoolReader r = reader(Map.of("fileHeader", "true", "basenameHeader", "true", "basenameHeaderKey", "bn"))) {
            List<Event> first = r.read();
            assertThat(bodies(first)).containsExactly("b1", "b2");
            assertThat(first.get(0).headers()).containsEntry("file", dir.resolve("b.log").toString())
                    .containsEntry("bn", "b.log");
            r.commit();
            assertThat(readAll(r)).containsExactly("a1");
        }
        assertThat(dir.resolve("a.log.COMPLETED")).exists();
        assertThat(dir.resolve("b.log.COMPLETED")).exists();
        assertThat(dir.resolve("a.log")).doesNotExist();
        assertThat(dir.resolve(".flumespool").resolve(PositionFile.FILE_NAME)).doesNotExist();
    }

    @Test
    void youngestOrderReadsTheNewestFileFirst() throws IOException {
        write("old.log", "old\n", 1_000_000);
        write("new.log", "new\n", 2_000_000);
        try (SpoolReader r = reader(Map.of("consumeOrder", "youngest"))) {
            assertThat(readAll(r)).containsExactly("new", "old");
        }
    }

    @Test
    void aRestartResumesAfterTheLastCommittedBatchAndRepeatsOnlyTheUncommittedOne() throws IOException {
        write("big.log", lines(0, 250), 1_000_000);
        List<String> delivered = new ArrayList<>();
        try (SpoolReader r = reader(Map.of("batchSize", "100"))) {
            delivered.addAll(bodies(r.read()));
            r.commit();
            r.read(); // lines 100..199 read but never committed: the process dies here
        }
        try (SpoolReader r = reader(Map.of("batchSize", "100"))) {
            delivered.addAll(readAll(r));
        }
        assertThat(delivered).isEqualTo(IntStream.range(0, 250).mapToObj(i -> "line-" + i).toList());
    }

    @Test
    void aRolledBackBatchIsReadAgain() throws IOException {
        write("f.log", lines(0, 5), 1_000_000);
        try (SpoolReader r = reader(Map.of("batchSize", "2"))) {
            assertThat(bodies(r.read())).containsExactly("line-0", "line-1");
            r.commit();
            assertThat(bodies(r.read())).containsExactly("line-2", "line-3");
            r.rollback();
            assertThat(bodies(r.read())).containsExactly("line-2", "line-3");
            r.commit();
            assertThat(readAll(r)).containsExactly("line-4");
        }
    }

    @Test
    void linesLongerThanMaxLineLengthAreSplitAndCounted() throws IOException {
        write("long.log", "abcdefghijkl\nxy\n", 1_000_000);
        try (SpoolReader r = reader(Map.of("deserializer.maxLineLength", "5"))) {
            assertThat(readAll(r)).containsExactly("abcde", "fghij", "kl", "xy");
        }
        assertThat(splits.sum()).isEqualTo(2);
    }

    @Test
    void withADeadLetterChannelLongLinesAreKeptThereCutAtTheLimitInsteadOfSplit() throws IOException {
        Path f = write("long.log", "abcdefghijkl\nxy\n0123456789", 1_000_000);
        MemoryPipe dlq = new MemoryPipe(100, 10);
        CounterGroup counters = new CounterGroup("SOURCE", "r1");
        RejectedInput rejected = new RejectedInput("a1.sources.r1", counters);
        rejected.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1", Clock.systemUTC()));
        try (SpoolReader r = reader(Map.of("deserializer.maxLineLength", "5", "fileHeader", "true"), rejected)) {
            assertThat(readAll(r)).containsExactly("xy");
        }
        assertThat(splits.sum()).isZero();
        List<Event> letters = dlq.drain();
        assertThat(letters).extracting(Event::bodyAsString).containsExactly("abcde", "01234");
        assertThat(letters.get(0).header(DeadLetters.ERROR)).isEqualTo("line longer than deserializer.maxLineLength"
                + " = 5 characters; its first 5 characters are kept and the rest of the line is skipped (file " + f
                + ")");
        assertThat(letters.get(0).header("file")).isEqualTo(f.toAbsolutePath().toString());
        assertThat(counters.get(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(2);
    }

    @Test
    void whenTheDeadLetterChannelRefusesALongLineTheBatchIsReadAgainAndItsLetterKeptOnce() throws IOException {
        write("long.log", "abcdefghijkl\nxy\n", 1_000_000);
        MemoryPipe dlq = new MemoryPipe(1, 10);
        dlq.put(List.of(Event.ofString("full")));
        CounterGroup counters = new CounterGroup("SOURCE", "r1");
        RejectedInput rejected = new RejectedInput("a1.sources.r1", counters);
        rejected.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1", Clock.systemUTC()));
        try (SpoolReader r = reader(Map.of("deserializer.maxLineLength", "5"), rejected)) {
            assertThat(bodies(r.read())).containsExactly("xy");
            assertThat(r.keepLetters()).isFalse();
            r.rollback();
            assertThat(dlq.drain()).extracting(Event::bodyAsString).containsExactly("full");
            assertThat(bodies(r.read())).containsExactly("xy");
            assertThat(r.keepLetters()).isTrue();
            // the channels refuse the batch: read again, its letter is not kept a second time
            r.rollback();
            assertThat(bodies(r.read())).containsExactly("xy");
            assertThat(r.letters()).isEmpty();
            r.commit();
            assertThat(readAll(r)).isEmpty();
        }
        assertThat(dlq.drain()).extracting(Event::bodyAsString).containsExactly("abcde");
        assertThat(counters.get(RejectedInput.DEAD_LETTER_WRITE_FAIL)).isEqualTo(1);
        assertThat(counters.get(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(1);
        assertThat(splits.sum()).isZero();
    }

    @Test
    void aFileThatGrowsAfterPickupStopsReadingWithItsName() throws IOException {
        Path f = write("grow.log", "one\n", 1_000_000);
        try (SpoolReader r = reader(Map.of())) {
            assertThat(bodies(r.read())).containsExactly("one");
            r.commit();
            Files.writeString(f, "two\n", StandardOpenOption.APPEND);
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000));
            assertThatThrownBy(() -> readAll(r)).isInstanceOf(SpoolingException.class)
                    .hasMessageContaining("File has changed size since being read: " + f);
        }
        assertThat(f).exists();
    }

    @Test
    void aFileTouchedAfterPickupStopsReadingWithItsName() throws IOException {
        Path f = write("touch.log", "one\n", 1_000_000);
        try (SpoolReader r = reader(Map.of())) {
            r.read();
            r.commit();
            Files.setLastModifiedTime(f, FileTime.fromMillis(2_000_000));
            assertThatThrownBy(() -> readAll(r)).isInstanceOf(SpoolingException.class)
                    .hasMessageContaining("File has been modified since being read: " + f);
        }
    }

    @Test
    void aNameUsedAgainAfterCompletionStopsReading() throws IOException {
        write("same.log", "first\n", 1_000_000);
        try (SpoolReader r = reader(Map.of())) {
            assertThat(readAll(r)).containsExactly("first");
            write("same.log", "second\n", 2_000_000);
            assertThatThrownBy(() -> readAll(r)).isInstanceOf(SpoolingException.class)
                    .hasMessageContaining("File name has been re-used with different files")
                    .hasMessageContaining("same.log.COMPLETED");
        }
        assertThat(dir.resolve("same.log")).hasContent("second\n");
    }

    @Test
    void trackerDirPolicyLeavesFilesInPlaceAndNeverReadsThemAgain() throws IOException {
        write("sub/x.log", "x\n", 1_000_000);
        write("y.log", "y\n", 2_000_000);
        Map<String, String> keys = Map.of("trackingPolicy", "tracker_dir", "recursiveDirectorySearch", "true",
                "trackerDir", dir.resolveSibling(dir.getFileName() + "-tracker").toString());
        try (SpoolReader r = reader(keys)) {
            assertThat(readAll(r)).containsExactly("x", "y");
        }
        assertThat(dir.resolve("sub/x.log")).exists();
        assertThat(dir.resolveSibling(dir.getFileName() + "-tracker").resolve("sub/x.log.COMPLETED")).exists();
        try (SpoolReader r = reader(keys)) {
            assertThat(readAll(r)).isEmpty();
        }
    }

    @Test
    void deletePolicyImmediateDeletesFinishedFiles() throws IOException {
        Path f = write("gone.log", "g\n", 1_000_000);
        try (SpoolReader r = reader(Map.of("deletePolicy", "immediate"))) {
            assertThat(readAll(r)).containsExactly("g");
        }
        assertThat(f).doesNotExist();
        assertThat(dir.resolve("gone.log.COMPLETED")).doesNotExist();
    }

    @Test
    void includeAndIgnorePatternsHiddenFilesAndSubdirectoriesChooseWhatIsRead() throws IOException {
        write("keep.log", "keep\n", 1_000_000);
        write("skip.tmp", "tmp\n", 1_000_001);
        write("other.txt", "txt\n", 1_000_002);
        write(".hidden.log", "hidden\n", 1_000_003);
        write("nested/deep.log", "deep\n", 1_000_004);
        Map<String, String> keys = Map.of("includePattern", "^.*\\.(log|tmp)$", "ignorePattern", "^.*\\.tmp$");
        try (SpoolReader r = reader(keys)) {
            assertThat(readAll(r)).containsExactly("keep");
        }
        Map<String, String> recursive = new HashMap<>(keys);
        recursive.put("recursiveDirectorySearch", "true");
        try (SpoolReader r = reader(recursive)) {
            assertThat(readAll(r)).containsExactly("deep");
        }
        assertThat(dir.resolve("nested/deep.log.COMPLETED")).exists();
    }

    @Test
    void undecodableBytesFailByDefaultAndAreReplacedOnRequest() throws IOException {
        Path f = dir.resolve("bad.log");
        Files.write(f, new byte[] {'o', 'k', '\n', (byte) 0xff, 'x', '\n'});
        try (SpoolReader r = reader(Map.of())) {
            assertThatThrownBy(() -> readAll(r)).hasMessageContaining(f + ": bytes at offset 3 are not valid UTF-8");
        }
        Files.deleteIfExists(dir.resolve(".flumespool").resolve(PositionFile.FILE_NAME));
        try (SpoolReader r = reader(Map.of("decodeErrorPolicy", "REPLACE"))) {
            assertThat(readAll(r)).containsExactly("ok", "\uFFFDx");
        }
    }

    @Test
    void utf16FilesResumeAtTheRightByte() throws IOException {
        Path f = dir.resolve("wide.log");
        Files.writeString(f, "\u00e9t\u00e9\n\uD83D\uDE00 smile\nlast\n", StandardCharsets.UTF_16);
        Map<String, String> keys = Map.of("inputCharset", "UTF-16", "batchSize", "1");
        List<String> got = new ArrayList<>();
        try (SpoolReader r = reader(keys)) {
            got.addAll(bodies(r.read()));
            r.commit();
            got.addAll(bodies(r.read()));
            r.commit();
        }
        try (SpoolReader r = reader(keys)) {
            got.addAll(readAll(r));
        }
        assertThat(got).containsExactly("\u00e9t\u00e9", "\uD83D\uDE00 smile", "last");
    }

    @Test
    void blobMakesOneEventPerFileAndSplitsAtMaxBlobLength() throws IOException {
        write("one.bin", "0123456789", 1_000_000);
        try (SpoolReader r = reader(Map.of("deserializer", "BLOB", "deserializer.maxBlobLength", "4"))) {
            assertThat(readAll(r)).containsExactly("0123", "4567", "89");
        }
        assertThat(splits.sum()).isEqualTo(2);
        write("two.bin", "a\nb\n", 2_000_000);
        try (SpoolReader r = reader(Map.of("deserializer", "org.apache.flume.sink.solr.morphline.BlobDeserializer$Builder"))) {
            assertThat(readAll(r)).containsExactly("a\nb\n");
        }
    }
}
