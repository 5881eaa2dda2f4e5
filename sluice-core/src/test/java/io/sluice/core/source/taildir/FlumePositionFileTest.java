package io.sluice.core.source.taildir;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flume.Channel;
import org.apache.flume.ChannelSelector;
import org.apache.flume.Context;
import org.apache.flume.PollableSource;
import org.apache.flume.Transaction;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Position files pass between a real Apache Flume 1.11 taildir source (run in this process from
 * its jar) and Sluice's, in both directions, without a line read twice or skipped.
 */
class FlumePositionFileTest {
    @TempDir
    Path dir;

    @Test
    void sluiceTakesOverAPositionFileWrittenByApacheFlume() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path positions = dir.resolve("taildir_position.json");
        TaildirSourceTest.append(logs.resolve("a.log"), TaildirSourceTest.lines("a", 0, 300));
        TaildirSourceTest.append(logs.resolve("b.log"), TaildirSourceTest.lines("b", 0, 120));
        assertThat(runFlume(logs, positions)).hasSize(420);
        assertThat(Files.readString(positions)).contains("\"inode\"").contains("\"pos\"");

        TaildirSourceTest.append(logs.resolve("a.log"), TaildirSourceTest.lines("a", 300, 310));
        TaildirSourceTest.append(logs.resolve("b.log"), TaildirSourceTest.lines("b", 120, 125));
        List<String> got = runSluice(logs, positions);
        assertThat(got).containsExactlyInAnyOrderElementsOf(
                TaildirSourceTest.concat(TaildirSourceTest.lines("a", 300, 310), TaildirSourceTest.lines("b", 120, 125)));
    }

    @Test
    void apacheFlumeTakesOverAPositionFileWrittenBySluice() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path positions = dir.resolve("taildir_position.json");
        TaildirSourceTest.append(logs.resolve("a.log"), TaildirSourceTest.lines("a", 0, 200));
        assertThat(runSluice(logs, positions)).hasSize(200);
        assertThat(Files.exists(positions.resolveSibling(positions.getFileName() + PositionFile.FINGERPRINT_SUFFIX)))
                .isTrue();

        TaildirSourceTest.append(logs.resolve("a.log"), TaildirSourceTest.lines("a", 200, 207));
        assertThat(runFlume(logs, positions)).isEqualTo(TaildirSourceTest.lines("a", 200, 207));
    }

    /**
     * Sluice keeps the notes of a file it saw empty beside the position file: Apache Flume still
     * loads that position file and resumes both files where Sluice left them.
     */
    @Test
    void apacheFlumeTakesOverAPositionFileWrittenBySluiceWhileAFileWasEmpty() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path positions = dir.resolve("taildir_position.json");
        TaildirSourceTest.append(logs.resolve("a.log"), TaildirSourceTest.lines("a", 0, 200));
        Files.createFile(logs.resolve("e.log"));
        assertThat(runSluice(logs, positions)).hasSize(200);
        assertThat(Files.readString(positions.resolveSibling(positions.getFileName() + PositionFile.FINGERPRINT_SUFFIX)))
                .contains("\"seenEmpty\"");

        TaildirSourceTest.append(logs.resolve("a.log"), TaildirSourceTest.lines("a", 200, 207));
        TaildirSourceTest.append(logs.resolve("e.log"), TaildirSourceTest.lines("e", 0, 3));
        assertThat(runFlume(logs, positions)).containsExactlyInAnyOrderElementsOf(
                TaildirSourceTest.concat(TaildirSourceTest.lines("a", 200, 207), TaildirSourceTest.lines("e", 0, 3)));
    }

    private List<String> runSluice(Path logs, Path positions) throws IOException {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "TAILDIR",
                "filegroups", "g", "filegroups.g", logs + "/.*\\.log", "positionFile", positions.toString()));
        TaildirSource source = (TaildirSource) new TaildirSourceFactory().create(ctx.context());
        MemoryPipe pipe = new MemoryPipe(10_000, 10);
        source.setChannelProcessor(pipe.processor());
        source.start();
        try {
            for (int i = 0; i < 100 && source.process() == Status.READY; i++) {
                // until nothing is left
            }
        } finally {
            source.stop();
        }
        return pipe.drain().stream().map(Event::bodyAsString).toList();
    }

    /** Runs Apache Flume's taildir source until it read everything, stops it (it writes its positions then). */
    @SuppressWarnings("checkstyle:InlineFullyQualifiedName") // Apache Flume's TaildirSource next to Sluice's
    private static List<String> runFlume(Path logs, Path positions) throws Exception {
        MemoryChannel channel = new MemoryChannel();
        channel.setName("c1");
        Configurables.configure(channel, new Context(Map.of("capacity", "10000", "transactionCapacity", "1000")));
        channel.start();
        ChannelSelector selector = new ReplicatingChannelSelector();
        selector.setChannels(List.<Channel>of(channel));
        org.apache.flume.source.taildir.TaildirSource source = new org.apache.flume.source.taildir.TaildirSource();
        source.setName("flume-r1");
        Map<String, String> keys = new HashMap<>();
        keys.put("filegroups", "g");
        keys.put("filegroups.g", logs + "/.*\\.log");
        keys.put("positionFile", positions.toString());
        Configurables.configure(source, new Context(keys));
        source.setChannelProcessor(new ChannelProcessor(selector));
        source.start();
        try {
            for (int i = 0; i < 100; i++) {
                if (source.process() != PollableSource.Status.READY) {
                    break;
                }
            }
        } finally {
            source.stop();
        }
        List<String> out = new ArrayList<>();
        Transaction tx = channel.getTransaction();
        tx.begin();
        for (var e = channel.take(); e != null; e = channel.take()) {
            out.add(new String(e.getBody(), StandardCharsets.UTF_8));
        }
        tx.commit();
        tx.close();
        channel.stop();
        return out;
    }
}
