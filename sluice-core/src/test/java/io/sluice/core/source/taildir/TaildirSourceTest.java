package io.sluice.core.source.taildir;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.Status;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.selector.ReplicatingChannelSelector;
import io.sluice.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code TAILDIR} source driven poll by poll (its {@code process()} called directly, as the
 * runner would), on real files in a temporary directory.
 */
class TaildirSourceTest {
    @TempDir
    Path dir;

    private final List<TaildirSource> started = new ArrayList<>();
    private TestContexts ctx;

    @AfterEach
    void stop() {
        for (TaildirSource s : started) {
            s.stop();
        }
    }

    Path logs() throws IOException {
        return Files.createDirectories(dir.resolve("logs"));
    }

    Path positions() {
        return dir.resolve("pos/taildir_position.json");
    }

    TaildirSource start(MemoryPipe pipe, Map<String, String> keys) throws IOException {
        return start(pipe.processor(), Clock.systemUTC(), keys);
    }

    TaildirSource start(DefaultChannelProcessor processor, Clock clock, Map<String, String> keys) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("type", "TAILDIR", "filegroups", "f1",
                "filegroups.f1", logs() + "/app\\.log", "positionFile", positions().toString()));
        all.putAll(keys);
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", all, clock);
        TaildirSource source = (TaildirSource) new TaildirSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(processor);
        source.start();
        started.add(source);
        return source;
    }

    void stop(TaildirSource source) {
        source.stop();
        started.remove(source);
    }

    /** Leaves {@code source} as a {@code kill -9} would: never stopped, its positions as last recorded. */
    void abandon(TaildirSource source) {
        started.remove(source);
    }

    static List<String> poll(TaildirSource source, MemoryPipe pipe) {
        for (int i = 0; i < 100 && source.process() == Status.READY; i++) {
            // read until the source has nothing more
        }
        return pipe.drain().stream().map(Event::bodyAsString).toList();
    }

    static List<String> lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    static void append(Path file, List<String> lines) throws IOException {
        Files.writeString(file, lines.stream().map(l -> l + "\n").collect(Collectors.joining()),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsCompleteLinesWithGroupHeadersPathAndByteOffset() throws IOException {
        Path log = logs().resolve("app.log");
        Files.writeString(log, "one\r\ntwo\nthr");
        Files.writeString(logs().resolve("other.txt"), "not matched\n");
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of("headers.f1.topic", "app", "byteOffsetHeader", "true",
                "fileHeader", "true", "fileHeaderKey", "path"));
        source.process();
        List<Event> got = pipe.drain();
        assertThat(got).extracting(Event::bodyAsString).containsExactly("one", "two");
        assertThat(got.get(0).headers()).containsEntry("topic", "app").containsEntry("byteoffset", "0")
                .containsEntry("path", log.toAbsolutePath().toString());
        assertThat(got.get(1).header("byteoffset")).isEqualTo("5");
        Files.writeString(log, "ee\n", StandardOpenOption.APPEND);
        source.process();
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("three");
    }

    @Test
    void positionFileHasApacheFlumesFormatAndARestartRepeatsNothing() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("a", 0, 250));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of());
        assertThat(poll(source, pipe)).isEqualTo(lines("a", 0, 250));
        stop(source);
        String json = Files.readString(positions());
        long inode = (Long) Files.getAttribute(log, "unix:ino");
        assertThat(json).isEqualTo("[{\"inode\":" + inode + ",\"pos\":" + Files.size(log) + ",\"file\":\""
                + log.toAbsolutePath() + "\"}]");
        append(log, lines("a", 250, 300));
        TaildirSource again = start(pipe, Map.of());
        assertThat(poll(again, pipe)).isEqualTo(lines("a", 250, 300));
    }

    @Test
    void everyCommittedBatchIsRecordedSoAnAgentThatDiedRepeatsNothing() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("j", 0, 250));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of("batchSize", "40"));
        assertThat(poll(source, pipe)).isEqualTo(lines("j", 0, 250));
        // abandoned without stop(), as by kill -9: only the journal knows the last batches
        started.remove(source);
        append(log, lines("j", 250, 260));
        assertThat(poll(start(pipe, Map.of()), pipe)).isEqualTo(lines("j", 250, 260));
    }

    @Test
    void aRefusedBatchIsReadAgainAndThePositionOnlyMovesAfterTheCommit() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("b", 0, 100));
        MemoryPipe pipe = new MemoryPipe(30, 1);
        TaildirSource source = start(pipe, Map.of("batchSize", "20"));
        assertThat(source.process()).isEqualTo(Status.BACKOFF);
        List<String> got = new ArrayList<>(pipe.drain().stream().map(Event::bodyAsString).toList());
        assertThat(got).isEqualTo(lines("b", 0, 20));
        long twenty = lines("b", 0, 20).stream().mapToLong(l -> l.length() + 1).sum();
        assertThat(new PositionFile(positions()).read()).extracting(PositionFile.Entry::pos).containsExactly(twenty);
        assertThat(ctx.counters().find("SOURCE", "r1").get(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(1);
        for (int i = 0; i < 20 && got.size() < 100; i++) {
            source.process();
            pipe.drain().forEach(e -> got.add(e.bodyAsString()));
        }
        assertThat(got).isEqualTo(lines("b", 0, 100));
    }

    @Test
    void renameAndCreateReadsTheRenamedFileToItsEndThenTheNewOne() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("c", 0, 10));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of());
        List<String> got = new ArrayList<>(poll(source, pipe));
        append(log, lines("c", 10, 20));
        Files.move(log, logs().resolve("app.log.1"));
        append(log, lines("c", 20, 30));
        got.addAll(poll(source, pipe));
        append(logs().resolve("app.log.1"), lines("c", 30, 35));
        got.addAll(poll(source, pipe));
        assertThat(got).containsExactlyInAnyOrderElementsOf(lines("c", 0, 35));
        assertThat(got.subList(0, 20)).isEqualTo(lines("c", 0, 20));
    }

    @Test
    void aFileRenamedWhileTheAgentWasDownIsFoundByInodeAndFinished() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("d", 0, 10));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of());
        List<String> got = new ArrayList<>(poll(source, pipe));
        stop(source);
        append(log, lines("d", 10, 20));
        Files.move(log, logs().resolve("app.log.1"));
        append(log, lines("d", 20, 30));
        got.addAll(poll(start(pipe, Map.of()), pipe));
        assertThat(got).isEqualTo(lines("d", 0, 30));
    }

    @Test
    void copytruncateReadsTheUnreadLinesFromTheCopyThenTheTruncatedFileFromItsStart() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("e", 0, 10));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of());
        List<String> got = new ArrayList<>(poll(source, pipe));
        append(log, lines("e", 10, 20));
        copyTruncate(log, logs().resolve("app.log.1"));
        // more than the old size is written again before the next poll: only the first bytes tell
        append(log, lines("e", 20, 60));
        got.addAll(poll(source, pipe));
        assertThat(got).isEqualTo(lines("e", 0, 60));
    }

    /**
     * logrotate {@code create} then {@code copytruncate} while the source still reads the backlog of
     * the renamed file (as after a restart): the new file is created, written and copy-truncated
     * before the source read any of it (maxBatchCount 1 lets the source look at the groups between
     * the backlog's batches and see the new file's first bytes). Its first lines are then only in
     * the copy, which the group does not match: the source must find the copy of a file it had read
     * nothing of yet.
     */
    @Test
    void aFileCreatedAndCopyTruncatedWhileABacklogIsReadIsReadFromItsCopy() throws IOException {
        Path log = logs().resolve("app.log");
        assertEveryLineOnceWhileRotatingDuringABacklog(log, Map.of("batchSize", "100", "maxBatchCount", "1"),
                renameThenCopyTruncate(log, "app.log.1"));
    }

    /**
     * With the default (unlimited) {@code maxBatchCount} a long backlog is read in one poll; a file
     * created during it and copy-truncated (or renamed away) before it ends was never seen under
     * the group's name: its whole content was lost. The poll now looks at the groups again every
     * {@link TaildirSource#REFRESH_INTERVAL_MILLIS}.
     */
    @Test
    void aFileCreatedAndCopyTruncatedDuringALongBacklogIsReadFromItsCopy() throws IOException {
        Path log = logs().resolve("app.log");
        assertEveryLineOnceWhileRotatingDuringABacklog(log, Map.of("batchSize", "100"),
                renameThenCopyTruncate(log, "app.log-copied"));
    }

    /** After the 2nd batch: renamed away and created again; after the 3rd: copy-truncated into {@code copy}. */
    Rotation renameThenCopyTruncate(Path log, String copy) {
        return batch -> {
            switch (batch) {
                case 2 -> {
                    Files.move(log, logs().resolve("app.log-renamed"));
                    append(log, lines("b", 0, 10));
                }
                case 3 -> {
                    copyTruncate(log, logs().resolve(copy));
                    append(log, lines("b", 10, 20));
                }
                default -> {
                }
            }
        };
    }

    @Test
    void aFileCreatedAndRenamedAwayDuringALongBacklogIsRead() throws IOException {
        Path log = logs().resolve("app.log");
        assertEveryLineOnceWhileRotatingDuringABacklog(log, Map.of("batchSize", "100"), batch -> {
            switch (batch) {
                case 2 -> renameAndCreate(log, "app.log-renamed-1", 0, 10);
                case 3 -> renameAndCreate(log, "app.log-renamed-2", 10, 20);
                default -> {
                }
            }
        });
    }

    /**
     * Copy-truncated and then renamed away before the source looked at it again (one busy poll on a
     * loaded machine): the renamed file's first bytes changed while the source held it open, so it
     * is the same file truncated, not an inode given to another file. Its old content's rest is read
     * from the copy and its new content from its start; both were lost before (TaildirRotationIT
     * lost 10,674 lines so: rotation 7 copy-truncated, rotation 8 renamed before the next look).
     */
    @Test
    void aFileCopyTruncatedThenRenamedAwayBeforeTheNextLookLosesNothing() throws IOException {
        Path log = logs().resolve("app.log");
        assertEveryLineOnceWhileRotatingDuringABacklog(log, Map.of("batchSize", "100"), batch -> {
            switch (batch) {
                case 2 -> renameAndCreate(log, "app.log-renamed-1", 0, 10);
                case 4 -> {
                    copyTruncate(log, logs().resolve("app.log.1"));
                    append(log, lines("b", 10, 20));
                    Path renamed = logs().resolve("app.log-renamed-2");
                    Files.move(log, renamed);
                    append(renamed, lines("b", 20, 25));
                    append(log, lines("b", 25, 30));
                }
                default -> {
                }
            }
        }, 30, false);
    }

    /**
     * A file the source saw empty (created by the application's reopen after a rename) is written
     * and copy-truncated before the source looks at it again (one busy poll on a loaded machine):
     * its first bytes were never seen, so neither its size nor its fingerprint tell the truncation.
     * The copy is the one file of the directory that appeared since the source saw it empty (the
     * gzip archive logrotate writes in the same run is not a copy): its lines are read from it.
     * TaildirRotationIT lost 2,504 lines so (rotation 16 renamed and created app.log, rotation 17
     * copy-truncated it into app.log-copied-17 before the next look).
     */
    @Test
    void aFileSeenEmptyThenWrittenAndCopyTruncatedBeforeTheNextLookIsReadFromItsCopy() throws IOException {
        assertEveryLineOnceAfterAFileSeenEmpty(log -> {
            copyTruncate(log, logs().resolve("app.log-copied"));
            Files.write(logs().resolve("app.log.2.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0});
        });
    }

    /** As above, but the file is only backed up (copied, not truncated): the backup is not read. */
    @Test
    void aBackupOfAFileSeenEmptyIsNotReadAsItsCopy() throws IOException {
        assertEveryLineOnceAfterAFileSeenEmpty(log -> Files.copy(log, logs().resolve("app.log.bak")));
    }

    /** As above, but another application's copy appears meanwhile: not named as a rotation of the file, it is not read. */
    @Test
    void anotherApplicationsCopyIsNotReadAsTheCopyOfAFileSeenEmpty() throws IOException {
        assertEveryLineOnceAfterAFileSeenEmpty(log -> append(logs().resolve("other.log.1"), lines("o", 0, 10)));
    }

    /**
     * As above, but another log of the same application ({@code app.err}, not followed) is written
     * meanwhile: its name starts like app.log's but is no rotation name of it, so it is not read
     * as app.log's copy.
     */
    @Test
    void anotherLogOfTheSameApplicationIsNotReadAsTheCopyOfAFileSeenEmpty() throws IOException {
        assertEveryLineOnceAfterAFileSeenEmpty(log -> append(logs().resolve("app.err"), lines("e", 0, 10)));
    }

    interface FileAction {
        void run(Path file) throws IOException;
    }

    /**
     * During a backlog: after the 2nd batch app.log is renamed away and created empty (the source
     * then sees it empty); after the 4th b0..b9 are written into it, then {@code between} runs, then
     * b10..b19 are written. Every line must arrive once.
     */
    void assertEveryLineOnceAfterAFileSeenEmpty(FileAction between) throws IOException {
        assertEveryLineOnceAfterAFileSeenEmpty("app.log-renamed", between, false);
    }

    /**
     * As above with app.log renamed to {@code renamedTo}; with {@code lookWhileEmptyAgain} the
     * source looks at the groups once more after {@code between} (app.log truncated and empty
     * again) and b10..b19 are written after the 5th batch only.
     */
    void assertEveryLineOnceAfterAFileSeenEmpty(String renamedTo, FileAction between, boolean lookWhileEmptyAgain)
            throws IOException {
        Path log = logs().resolve("app.log");
        assertEveryLineOnceWhileRotatingDuringABacklog(log, Map.of("batchSize", "100"), batch -> {
            switch (batch) {
                case 2 -> {
                    Files.move(log, logs().resolve(renamedTo));
                    Files.createFile(log);
                }
                case 4 -> {
                    append(log, lines("b", 0, 10));
                    between.run(log);
                    if (!lookWhileEmptyAgain) {
                        append(log, lines("b", 10, 20));
                    }
                }
                case 5 -> {
                    if (lookWhileEmptyAgain) {
                        append(log, lines("b", 10, 20));
                    }
                }
                default -> {
                }
            }
        });
    }

    /**
     * logrotate {@code create} then {@code copytruncate} (TaildirRotationIT lost 1,206 lines so,
     * rotations 36 and 37): app.log is renamed to app.log.1 and created empty; while the source
     * still reads the old generation under the name app.log.1 and has seen the new app.log empty,
     * app.log is written, app.log.1 is renamed to app.log.2, app.log is copied to a new app.log.1
     * and truncated. The new app.log.1 reuses the name of a file the source follows: it is the copy.
     */
    @Test
    void aCopyUnderTheRotationNameOfAFollowedFileIsReadAsTheCopyOfAFileSeenEmpty() throws IOException {
        assertACopyUnderAFollowedGenerationsNameIsRead("app.log.1", "app.log.2", false);
    }

    /** As above with dated names: app.log-20261206 renamed to app.log-20261206.1, the copy in a new app.log-20261206. */
    @Test
    void aCopyUnderTheDatedRotationNameOfAFollowedFileIsReadAsTheCopyOfAFileSeenEmpty() throws IOException {
        assertACopyUnderAFollowedGenerationsNameIsRead("app.log-20261206", "app.log-20261206.1", false);
    }

    /**
     * As above, but the source looks at app.log once more between the truncation and the next
     * write, when it is empty again: the copy, which appeared since app.log was first seen empty,
     * must still be taken for its copy when app.log has content.
     */
    @Test
    void aCopyMadeWhileAFileSeenEmptyLooksEmptyAgainIsStillReadAsItsCopy() throws IOException {
        assertACopyUnderAFollowedGenerationsNameIsRead("app.log.1", "app.log.2", true);
    }

    /**
     * app.log is renamed to {@code rotated} and created empty; after the 4th batch the still read
     * generation is renamed on to {@code shifted} and app.log copy-truncated into a new {@code rotated}.
     */
    void assertACopyUnderAFollowedGenerationsNameIsRead(String rotated, String shifted, boolean lookWhileEmptyAgain)
            throws IOException {
        assertEveryLineOnceAfterAFileSeenEmpty(rotated, log -> {
            Files.move(logs().resolve(rotated), logs().resolve(shifted));
            copyTruncate(log, logs().resolve(rotated));
        }, lookWhileEmptyAgain);
    }

    /**
     * The copy is written over an existing file in place (as {@code cp} does onto an existing name,
     * or into an inode freed by a deleted rotation and given to the copy): its inode was in the
     * directory when app.log was seen empty, but it holds other content now, so it is the copy.
     */
    @Test
    void aCopyWrittenIntoAnInodeThatWasThereWhenTheFileWasSeenEmptyIsReadAsItsCopy() throws IOException {
        append(logs().resolve("app.log.3"), lines("old", 0, 10));
        assertEveryLineOnceAfterAFileSeenEmpty("app.log.1", log -> {
            try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(logs().resolve("app.log.3"), StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                in.transferTo(0, in.size(), out);
            }
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
        }, false);
    }

    /**
     * A file idle for longer than {@code idleTimeout} is renamed away (logrotate's {@code create}),
     * and the application writes a few more lines through its descriptor before it reopens its log
     * (logrotate's {@code postrotate} signal comes after the rename): those lines are read, since a
     * file rotated away has {@code idleTimeout} from its rotation on to be finished.
     */
    @Test
    void linesWrittenToAnIdleFileJustAfterItWasRenamedAwayAreRead() throws IOException {
        IdleRotation r = rotateAfterIdle(10);
        append(r.rotated(), lines("late", 0, 3));
        append(r.log(), lines("b", 0, 5));
        r.clock().advanceMillis(10);
        List<String> got = r.got();
        got.addAll(poll(r.source(), r.pipe()));
        assertThat(got).as("every line once").containsExactlyInAnyOrderElementsOf(
                concat(concat(lines("a", 0, 10), lines("late", 0, 3)), lines("b", 0, 5)));
        r.clock().advanceMillis(2000);
        poll(r.source(), r.pipe());
        assertThat(positionsNamed("app.log.1")).as("the rotated file is done with once idle for idleTimeout").isFalse();
    }

    private boolean positionsNamed(String name) throws IOException {
        return new PositionFile(positions()).read().stream().anyMatch(e -> e.file().getFileName().toString().equals(name));
    }

    /**
     * A followed file idle long enough to be closed is rotated away (renamed to app.log.1; the new
     * app.log is seen empty). Then app.log is written, app.log.1 deleted and app.log copy-truncated
     * into a new app.log.1 that gets the freed inode (written into that inode here, as the file
     * system may hand it out again): the copy's lines are read once, whether the rotated file is
     * still followed then or already done with. With a copy of the old file's size: a closed file
     * of unchanged size is not opened at a look.
     */
    @Test
    void aClosedRotatedAwayFileWhoseInodeTheCopyReusesAtTheSameSizeLosesNothing() throws IOException {
        assertTheCopyInAClosedRotatedFilesInodeIsRead(10);
    }

    /** As above, with a copy of another size than the closed file. */
    @Test
    void aClosedRotatedAwayFileWhoseInodeTheCopyReusesLosesNothing() throws IOException {
        assertTheCopyInAClosedRotatedFilesInodeIsRead(25);
    }

    /** A source following app.log; what it read; app.log's rotated name. */
    record IdleRotation(TaildirSource source, MemoryPipe pipe, TestClock clock, List<String> got, Path log,
            Path rotated) {
    }

    /**
     * Starts a source with {@code idleTimeout} 1 s that reads a0..a{@code oldLines - 1} from app.log,
     * lets it idle for 2 s, renames app.log to app.log.1, creates app.log empty and lets the source
     * look at them.
     */
    IdleRotation rotateAfterIdle(int oldLines) throws IOException {
        Path log = logs().resolve("app.log");
        Path rotated = logs().resolve("app.log.1");
        append(log, lines("a", 0, oldLines));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TestClock clock = new TestClock();
        TaildirSource source = start(pipe.processor(), clock, Map.of("idleTimeout", "1000"));
        List<String> got = new ArrayList<>(poll(source, pipe));
        clock.advanceMillis(2000);
        got.addAll(poll(source, pipe));
        Files.move(log, rotated);
        Files.createFile(log);
        got.addAll(poll(source, pipe));
        return new IdleRotation(source, pipe, clock, got, log, rotated);
    }

    void assertTheCopyInAClosedRotatedFilesInodeIsRead(int oldLines) throws IOException {
        IdleRotation r = rotateAfterIdle(oldLines);
        Path log = r.log();
        Path rotated = r.rotated();
        List<String> got = r.got();
        Long inode = FileTracker.inode(rotated);

        append(log, lines("b", 0, 10));
        // app.log.1 deleted and its inode given to the copy
        try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(rotated, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(0, in.size(), out);
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, lines("b", 10, 20));
        assertThat(FileTracker.inode(rotated)).isEqualTo(inode);
        r.clock().advanceMillis(10);
        got.addAll(poll(r.source(), r.pipe()));
        assertThat(got).as("every line once").containsExactlyInAnyOrderElementsOf(
                concat(lines("a", 0, oldLines), lines("b", 0, 20)));
    }

    /**
     * A file renamed away (app.log to app.log.1) and still read is renamed again (app.log.1 to
     * app.log.2) while its former name is given to a new file (the copy of a copytruncate): its
     * lines read after that carry the name it has now, the copy's lines the copy's name, and the
     * position file names each by where it is.
     */
    @Test
    void aFileStillReadWhoseRotationNameIsGivenToANewFileIsNamedByWhereItIsNow() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("a", 0, 1000));
        MemoryPipe pipe = new MemoryPipe(100_000, 10);
        TaildirSource source = start(pipe, Map.of("batchSize", "100", "maxBatchCount", "1", "fileHeader", "true"));
        source.process();
        List<Event> got = new ArrayList<>(pipe.drain());
        Files.move(log, logs().resolve("app.log.1"));
        append(log, lines("b", 0, 10));
        source.process();
        got.addAll(pipe.drain());
        Files.move(logs().resolve("app.log.1"), logs().resolve("app.log.2"));
        append(log, lines("b", 10, 20));
        copyTruncate(log, logs().resolve("app.log.1"));
        append(log, lines("b", 20, 30));
        source.process();
        List<Event> late = pipe.drain();
        got.addAll(late);
        assertThat(new PositionFile(positions()).read()).extracting(e -> e.file().getFileName().toString())
                .as("where the position file says each followed file is").contains("app.log.2")
                .doesNotHaveDuplicates();
        for (int i = 0; i < 30; i++) {
            source.process();
            got.addAll(pipe.drain());
        }
        assertThat(got).extracting(Event::bodyAsString).containsExactlyInAnyOrderElementsOf(
                concat(lines("a", 0, 1000), lines("b", 0, 30)));
        Map<String, String> where = new HashMap<>();
        for (Event e : got) {
            where.put(e.bodyAsString(), Path.of(e.header("file")).getFileName().toString());
        }
        assertThat(late).extracting(Event::bodyAsString).contains("a200");
        assertThat(where.get("a200")).isEqualTo("app.log.2");
        assertThat(where.get("a999")).isEqualTo("app.log.2");
        assertThat(where.get("b10")).isEqualTo("app.log.1");
        assertThat(where.get("b25")).isEqualTo("app.log");
    }

    /** A file written as fast as it is read, with polls cut short to look at the groups, must not starve another. */
    @Test
    void aFileGrowingAsFastAsItIsReadLeavesTheOtherFilesTheirTurn() throws IOException {
        Path busy = logs().resolve("app.log");
        Path other = logs().resolve("other.log");
        append(busy, lines("a", 0, 1000));
        append(other, lines("o", 0, 10));
        Files.setLastModifiedTime(other, FileTime.fromMillis(Files.getLastModifiedTime(busy).toMillis() + 10_000));
        MemoryPipe pipe = new MemoryPipe(100_000, 10);
        TestClock clock = new TestClock();
        int[] more = {1000};
        Interceptor writer = new Interceptor() {
            @Override
            public Event intercept(Event event) {
                return event;
            }

            @Override
            public List<Event> intercept(List<Event> events) {
                clock.advanceMillis(1000);
                try {
                    append(busy, lines("a", more[0], more[0] + 100));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                more[0] += 100;
                return events;
            }
        };
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(pipe.channel()));
        DefaultChannelProcessor processor = new DefaultChannelProcessor("a1.sources.r1", selector, List.of(writer),
                new CounterGroup("SOURCE", "r1"));
        processor.initialize();
        TaildirSource source = start(processor, clock, Map.of("batchSize", "100", "filegroups.f1",
                logs() + "/.*\\.log"));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            source.process();
            got.addAll(pipe.drain().stream().map(Event::bodyAsString).toList());
        }
        assertThat(got).as("the other file's lines within 5 polls").containsAll(lines("o", 0, 10));
    }

    interface Rotation {
        void afterBatch(int batch) throws IOException;
    }

    /** 3,000 lines of backlog read in batches of 100 that take a second each; rotations between them. */
    void assertEveryLineOnceWhileRotatingDuringABacklog(Path log, Map<String, String> keys, Rotation rotation)
            throws IOException {
        assertEveryLineOnceWhileRotatingDuringABacklog(log, keys, rotation, 20, true);
    }

    /** As above with {@code bLines} lines b0, b1, ... written by the rotations, in order if {@code bOrdered}. */
    void assertEveryLineOnceWhileRotatingDuringABacklog(Path log, Map<String, String> keys, Rotation rotation,
            int bLines, boolean bOrdered) throws IOException {
        append(log, lines("a", 0, 3000));
        MemoryPipe pipe = new MemoryPipe(100_000, 10);
        TestClock clock = new TestClock();
        int[] batches = {0};
        Interceptor rotator = new Interceptor() {
            @Override
            public Event intercept(Event event) {
                return event;
            }

            @Override
            public List<Event> intercept(List<Event> events) {
                clock.advanceMillis(1000);
                try {
                    rotation.afterBatch(++batches[0]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return events;
            }
        };
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(pipe.channel()));
        DefaultChannelProcessor processor = new DefaultChannelProcessor("a1.sources.r1", selector, List.of(rotator),
                new CounterGroup("SOURCE", "r1"));
        processor.initialize();
        TaildirSource source = start(processor, clock, keys);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 200 && source.process() == Status.READY; i++) {
            got.addAll(pipe.drain().stream().map(Event::bodyAsString).toList());
        }
        got.addAll(pipe.drain().stream().map(Event::bodyAsString).toList());
        assertThat(batches[0]).as("the rotations happened").isGreaterThan(3);
        assertThat(got).as("every line once").containsExactlyInAnyOrderElementsOf(
                concat(lines("a", 0, 3000), lines("b", 0, bLines)));
        assertThat(got.stream().filter(l -> l.startsWith("a")).toList()).isEqualTo(lines("a", 0, 3000));
        if (bOrdered) {
            assertThat(got.stream().filter(l -> l.startsWith("b")).toList()).isEqualTo(lines("b", 0, bLines));
        }
    }

    @Test
    void aCopyTheGroupAlsoMatchesIsHeldBackUntilItsOriginalIsTruncated() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("f", 0, 10));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of("filegroups.f1", logs() + "/app\\.log.*"));
        List<String> got = new ArrayList<>(poll(source, pipe));
        append(log, lines("f", 10, 20));
        Path copy = logs().resolve("app.log.1");
        Files.copy(log, copy);
        got.addAll(poll(source, pipe));
        append(log, lines("f", 20, 25));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, lines("f", 25, 30));
        got.addAll(poll(source, pipe));
        assertThat(got).as("lines 20-24 were written between the copy and the truncation: lost by copytruncate")
                .isEqualTo(List.copyOf(concat(lines("f", 0, 20), lines("f", 25, 30))));
    }

    @Test
    void aRecordedInodeWhoseFirstBytesChangedIsReadFromItsStart() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("g", 0, 10));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of());
        poll(source, pipe);
        stop(source);
        // the same inode now holds other content of the same size (an inode reused, or a rewrite)
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("h0\nh1\nh2\n".getBytes(StandardCharsets.UTF_8)), 0);
        }
        List<String> got = poll(start(pipe, Map.of()), pipe);
        assertThat(got).startsWith("h0", "h1", "h2");
    }

    @Test
    void aRotatedFileWhoseInodeNowHoldsOtherContentIsNotRead() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("m", 0, 10));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of());
        poll(source, pipe);
        Path rotated = logs().resolve("app.log.1");
        Files.move(log, rotated);
        poll(source, pipe);
        stop(source);
        // while the agent is down the rotated file's inode comes to hold other content
        try (FileChannel ch = FileChannel.open(rotated, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("other0\nother1\nother2\nother3\nother4\n".getBytes(StandardCharsets.UTF_8)), 0);
        }
        append(rotated, lines("other", 5, 10));
        append(log, lines("n", 0, 3));
        assertThat(poll(start(pipe, Map.of()), pipe)).isEqualTo(lines("n", 0, 3));
    }

    @Test
    void skipToEndStartsUnknownFilesAtTheirEnd() throws IOException {
        Path log = logs().resolve("app.log");
        append(log, lines("k", 0, 10));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of("skipToEnd", "true"));
        assertThat(poll(source, pipe)).isEmpty();
        append(log, lines("k", 10, 12));
        assertThat(poll(source, pipe)).isEqualTo(lines("k", 10, 12));
    }

    @Test
    void maxBatchCountGivesTheNextFileATurn() throws IOException {
        append(logs().resolve("a.log"), lines("a", 0, 50));
        append(logs().resolve("b.log"), lines("b", 0, 50));
        MemoryPipe pipe = new MemoryPipe(1000, 10);
        TaildirSource source = start(pipe, Map.of("filegroups.f1", logs() + "/.*\\.log", "batchSize", "10",
                "maxBatchCount", "1"));
        source.process();
        assertThat(pipe.drain()).extracting(Event::bodyAsString).hasSize(20).contains("a0", "b0")
                .doesNotContain("a10", "b10");
    }

    @Test
    void badKeysAreReportedWithTheKeyAndTheFix() {
        TestContexts bad = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "TAILDIR",
                "filegroups", "f1 f2 f3", "filegroups.f1", dir.resolve("missing") + "/.*",
                "filegroups.f2", dir + "/[unclosed", "batchSize", "0", "headers.f1", "x"));
        assertThat(new TaildirSourceFactory().create(bad.context())).isNull();
        assertThat(bad.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .contains("filegroups.f1").contains("does not exist"))
                .anySatisfy(p -> assertThat(p).contains("filegroups.f2").contains("regular expression"))
                .anySatisfy(p -> assertThat(p).contains("filegroups.f3").contains("is missing"))
                .anySatisfy(p -> assertThat(p).contains("batchSize"))
                .anySatisfy(p -> assertThat(p).contains("headers.f1").contains("headers.<group>.<header name>"));
    }

    @Test
    void thePositionFileDefaultsToApacheFlumesPlaceInTheHomeDirectory() {
        TestContexts c = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "TAILDIR",
                "filegroups", "f1", "filegroups.f1", dir + "/.*"));
        TaildirSettings s = TaildirSourceFactory.settings(c.context());
        assertThat(s.positionFile()).isEqualTo(Path.of(System.getProperty("user.home"), ".flume",
                "taildir_position.json"));
        assertThat(s.idleTimeoutMillis()).isEqualTo(120_000);
        assertThat(s.writePosIntervalMillis()).isEqualTo(3000);
        assertThat(s.batchSize()).isEqualTo(100);
        assertThat(s.maxBatchCount()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.cachePatternMatching()).isTrue();
        assertThat(s.fileHeaderKey()).isNull();
    }

    /** Renames {@code log} away to {@code renamed} and writes lines b{@code from}..b{@code to - 1} into a new one. */
    void renameAndCreate(Path log, String renamed, int from, int to) throws IOException {
        Files.move(log, logs().resolve(renamed));
        append(log, lines("b", from, to));
    }

    static void copyTruncate(Path file, Path copy) throws IOException {
        Files.copy(file, copy);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
