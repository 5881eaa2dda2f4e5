package io.sluice.hdfs;

import io.sluice.api.Channel;
import io.sluice.api.Event;
import io.sluice.core.agent.Agent;
import io.sluice.testing.EmbeddedAgent;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hdfs sink against a real in-process HDFS (one {@link MiniHdfs} for the class). */
class HdfsSinkTest {
    @TempDir
    static File tmp;

    private static MiniHdfs hdfs;
    private static final AtomicInteger DIRS = new AtomicInteger();

    @BeforeAll
    static void startCluster() throws Exception {
        hdfs = MiniHdfs.start(new File(tmp, "dfs"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    private static String newDir() {
        return "/t" + DIRS.incrementAndGet();
    }

    private static Map<String, String> keys(String dir, String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("hdfs.path", hdfs.url(dir));
        m.put("hdfs.rollInterval", "0");
        m.put("hdfs.rollSize", "0");
        m.put("hdfs.rollCount", "0");
        m.put("hdfs.minBlockReplicas", "1"); // one datanode: files are never rolled for under-replication
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Channel c1(EmbeddedAgent a) {
        return a.agent().channels().get("c1");
    }

    private static void drained(EmbeddedAgent a, long n) {
        a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", n, Duration.ofSeconds(60));
    }

    private static List<String> lines(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void dataStreamFilesRollOnCountAndAreRenamedWhenClosed() throws Exception {
        String dir = newDir();
        try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.fileType", "DataStream", "hdfs.rollCount", "5",
                "hdfs.batchSize", "4"))) {
            Agents.put(c1(a), Agents.events(0, 12, Map.of()));
            drained(a, 12);
        }
        List<Path> files = hdfs.files(dir);
        assertThat(files).hasSize(3);
        assertThat(files).allSatisfy(p -> assertThat(p.getName()).matches("FlumeData\\.\\d+"));
        List<String> all = new ArrayList<>();
        for (Path p : files) {
            all.addAll(lines(hdfs.read(p)));
        }
        assertThat(all).containsExactlyElementsOf(Agents.bodies(0, 12));
        assertThat(lines(hdfs.read(files.get(0)))).hasSize(5);
    }

    @Test
    void aCommittedBatchIsReadableFromTheInUseFileBeforeItIsClosed() throws Exception {
        String dir = newDir();
        try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.fileType", "DataStream", "hdfs.inUsePrefix", "_",
                "hdfs.inUseSuffix", ".inprogress"))) {
            Agents.put(c1(a), Agents.events(0, 7, Map.of()));
            drained(a, 7);
            List<Path> files = hdfs.files(dir);
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getName()).matches("_FlumeData\\.\\d+\\.inprogress");
            // hflushed before the commit: a new reader sees every committed event
            assertThat(lines(hdfs.read(files.get(0)))).containsExactlyElementsOf(Agents.bodies(0, 7));
        }
        assertThat(hdfs.files(dir)).singleElement().satisfies(p -> assertThat(p.getName()).matches("FlumeData\\.\\d+"));
    }

    @Test
    void sequenceFilesHoldTheTimestampAndTheBodyAsWritableOrText() throws Exception {
        for (String format : List.of("Writable", "Text")) {
            String dir = newDir();
            try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.writeFormat", format))) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    events.add(Event.builder().header("timestamp", String.valueOf(1_000_000L + i)).body("ev" + i)
                            .build());
                }
                Agents.put(c1(a), events);
                drained(a, 5);
            }
            Path file = hdfs.files(dir).get(0);
            List<String> read = new ArrayList<>();
            try (SequenceFile.Reader r = new SequenceFile.Reader(hdfs.fs().getConf(), SequenceFile.Reader.file(
                    hdfs.fs().makeQualified(file)))) {
                assertThat(r.getKeyClass()).isEqualTo(LongWritable.class);
                assertThat(r.getValueClass()).isEqualTo(format.equals("Text") ? Text.class : BytesWritable.class);
                LongWritable k = new LongWritable();
                Object v = ReflectionUtils.newInstance(r.getValueClass(), hdfs.fs().getConf());
                while (r.next(k, (Writable) v)) {
                    String body = v instanceof Text t ? t.toString()
                            : new String(((BytesWritable) v).copyBytes(), StandardCharsets.UTF_8);
                    read.add(k.get() + "=" + body);
                }
            }
            assertThat(read).containsExactly("1000000=ev0", "1000001=ev1", "1000002=ev2", "1000003=ev3", "1000004=ev4");
        }
    }

    @Test
    void compressedStreamGzipIsOneReadableStreamWithTheCodecsExtension() throws Exception {
        String dir = newDir();
        try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.fileType", "CompressedStream", "hdfs.codeC", "gzip",
                "hdfs.batchSize", "3"))) {
            Agents.put(c1(a), Agents.events(0, 10, Map.of()));
            drained(a, 10);
        }
        Path file = hdfs.files(dir).get(0);
        assertThat(file.getName()).endsWith(".gz");
        GzipCodec codec = ReflectionUtils.newInstance(GzipCodec.class, hdfs.fs().getConf());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = codec.createInputStream(hdfs.fs().open(file))) {
            in.transferTo(out);
        }
        assertThat(lines(out.toByteArray())).containsExactlyElementsOf(Agents.bodies(0, 10));
    }

    @Test
    void avroEventSerializerWritesAnAvroContainerWithHeaders() throws Exception {
        String dir = newDir();
        try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.fileType", "DataStream", "serializer", "avro_event",
                "hdfs.fileSuffix", ".avro"))) {
            Agents.put(c1(a), Agents.events(0, 4, Map.of("h", "x")));
            drained(a, 4);
        }
        Path file = hdfs.files(dir).get(0);
        assertThat(file.getName()).endsWith(".avro");
        List<String> bodies = new ArrayList<>();
        try (DataFileStream<GenericRecord> r = new DataFileStream<>(hdfs.fs().open(file), new GenericDatumReader<>())) {
            for (GenericRecord rec : r) {
                bodies.add(StandardCharsets.UTF_8.decode((ByteBuffer) rec.get("body")).toString());
                assertThat(rec.get("headers").toString()).contains("h");
            }
        }
        assertThat(bodies).containsExactlyElementsOf(Agents.bodies(0, 4));
    }

    @Test
    void pathAndPrefixEscapesRoundTheEventTimeAndUseHeaders() throws Exception {
        String dir = newDir();
        long ts = ZonedDateTime.of(2024, 3, 7, 13, 47, 31, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
        try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.fileType", "DataStream",
                "hdfs.path", hdfs.url(dir + "/%{app}/%Y-%m-%d/%H%M"), "hdfs.filePrefix", "%{app}-%[localhost]-%y",
                "hdfs.round", "true", "hdfs.roundValue", "15", "hdfs.roundUnit", "minute", "hdfs.timeZone", "UTC"))) {
            Agents.put(c1(a), Agents.events(0, 2, Map.of("app", "web", "timestamp", String.valueOf(ts))));
            Agents.put(c1(a), Agents.events(2, 3, Map.of("app", "db", "timestamp", String.valueOf(ts + 3_600_000))));
            drained(a, 3);
        }
        String host = InetAddress.getLocalHost().getHostName();
        List<String> names = new ArrayList<>();
        for (Path p : hdfs.files(dir)) {
            names.add(p.toUri().getPath().substring(dir.length() + 1).replaceAll("\\.\\d+$", ".N"));
        }
        assertThat(names).containsExactlyInAnyOrder("web/2024-03-07/1345/web-" + host + "-24.N",
                "db/2024-03-07/1445/db-" + host + "-24.N");
    }

    @Test
    void rollIntervalClosesTheFileByTimer() throws Exception {
        String dir = newDir();
        try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.fileType", "DataStream", "hdfs.rollInterval", "1"))) {
            Agents.put(c1(a), Agents.events(0, 3, Map.of()));
            drained(a, 3);
            Awaitility.await("the file is renamed by the roll timer").atMost(Duration.ofSeconds(30))
                    .until(() -> hdfs.files(dir).stream().allMatch(p -> !p.getName().endsWith(".tmp")));
            Agents.put(c1(a), Agents.events(3, 5, Map.of()));
            drained(a, 5);
        }
        assertThat(hdfs.files(dir)).hasSize(2);
    }

    @Test
    void leftoverInUseFilesOfTheJournalAreRecoveredOnStart() throws Exception {
        String dir = newDir();
        // a writer that died: its file is still open (another client holds the lease)
        Path inUse = new Path(dir + "/FlumeData.42.tmp");
        FSDataOutputStream dead = hdfs.fs().create(inUse);
        dead.write("before-the-crash\n".getBytes(StandardCharsets.UTF_8));
        dead.hflush();
        Map<String, String> props = Agents.hdfsAgent("memory", keys(dir, "hdfs.fileType", "DataStream"));
        File data = new File(tmp, "agent-" + DIRS.incrementAndGet());
        OpenFileJournal j = new OpenFileJournal(new File(data, "sinks/k1").toPath());
        j.reset(Map.of());
        j.opened(hdfs.url(inUse.toString()), hdfs.url(dir + "/FlumeData.42"));
        j.close();
        try (Agent agent = Agent.create(Agents.spec(props, data.toPath()))) {
            agent.start();
            Awaitility.await("the leftover is renamed").atMost(Duration.ofSeconds(60))
                    .until(() -> hdfs.fs().exists(new Path(dir + "/FlumeData.42")));
        }
        assertThat(hdfs.fs().exists(inUse)).isFalse();
        assertThat(hdfs.dfs().isFileClosed(new Path(dir + "/FlumeData.42"))).isTrue();
        assertThat(lines(hdfs.read(new Path(dir + "/FlumeData.42")))).containsExactly("before-the-crash");
        assertThatThrownBy(dead::close).as("the dead writer lost its lease").isInstanceOf(IOException.class);
    }

    @Test
    void anEventWithoutTheTimestampTheTemplateNeedsIsRolledBackNotLost() throws Exception {
        String dir = newDir();
        try (EmbeddedAgent a = Agents.start(keys(dir, "hdfs.fileType", "DataStream", "hdfs.path",
                hdfs.url(dir + "/%Y")))) {
            Agents.put(c1(a), Agents.events(0, 1, Map.of()));
            a.awaitCounter("SINK", "k1", "EventWriteFail", 1, Duration.ofSeconds(30));
            assertThat(a.counter("CHANNEL", "c1", "ChannelSize")).isEqualTo(1);
        }
    }
}
