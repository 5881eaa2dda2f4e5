package io.sluice.e2e.hdfs;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.FlumePeer;
import io.sluice.e2e.support.SluiceCli;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same events written by Apache Flume 1.11's HDFS sink and by Sluice's, each a real agent
 * process writing into one MiniDFSCluster this JVM runs, read back with Hadoop's and Avro's readers
 * and compared record by record: {@code DataStream} with the {@code text} serializer,
 * {@code SequenceFile} Writable (keys and values) and {@code DataStream} with {@code avro_event}
 * (headers and bodies). Both agents get the same configuration: a {@code seq} source of a fixed
 * number of events, two {@code static} interceptors (a fixed {@code timestamp}, so the SequenceFile
 * keys are deterministic, and one more header), replicated into three memory channels, one sink per
 * format closing its file once idle for 3 s (Apache Flume rolls on {@code rollCount} only when the next
 * event arrives, so a count roll would leave the last file open).
 */
class HdfsFlumeParityIT {
    private static final int EVENTS = 3000;

    @TempDir
    static File tmp;

    private static MiniDFSCluster cluster;
    private static FileSystem fs;

    @BeforeAll
    static void startCluster() throws Exception {
        File base = new File(tmp, "dfs");
        cluster = TestCluster.start(base);
        fs = cluster.getFileSystem();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    private static AgentConfig conf(File dir, String root) {
        AgentConfig c = AgentConfig.of("a1").components("r1", "c1 c2 c3", "k1 k2 k3")
                .set("sources.r1.type", "seq").set("sources.r1.totalEvents", EVENTS)
                .set("sources.r1.batchSize", 100).set("sources.r1.channels", "c1 c2 c3")
                .set("sources.r1.interceptors", "i1 i2")
                .set("sources.r1.interceptors.i1.type", "static")
                .set("sources.r1.interceptors.i1.key", "timestamp")
                .set("sources.r1.interceptors.i1.value", "1700000000000")
                .set("sources.r1.interceptors.i2.type", "static")
                .set("sources.r1.interceptors.i2.key", "origin")
                .set("sources.r1.interceptors.i2.value", "parity");
        String[][] sinks = {{"k1", "c1", "text", "DataStream", "text"},
            {"k2", "c2", "seq", "SequenceFile", "text"}, {"k3", "c3", "avro", "DataStream", "avro_event"}};
        for (String[] s : sinks) {
            String ch = "channels." + s[1] + ".";
            c.set(ch + "type", "memory").set(ch + "capacity", 10000).set(ch + "transactionCapacity", 1000);
            String k = "sinks." + s[0] + ".";
            c.set(k + "type", "hdfs").set(k + "channel", s[1])
                    .set(k + "hdfs.path", fs.getUri() + root + "/" + s[2])
                    .set(k + "hdfs.fileType", s[3]).set(k + "hdfs.writeFormat", "Writable")
                    .set(k + "serializer", s[4]).set(k + "hdfs.batchSize", 100)
                    .set(k + "hdfs.rollCount", 0).set(k + "hdfs.rollSize", 0)
                    .set(k + "hdfs.rollInterval", 0).set(k + "hdfs.idleTimeout", 3).set(k + "hdfs.minBlockReplicas", 1);
        }
        return c;
    }

    @Test
    void flumeAndSluiceWriteTheSameRecords() throws Exception {
        File flumeDir = new File(tmp, "flume");
        File sluiceDir = new File(tmp, "sluice");
        flumeDir.mkdirs();
        sluiceDir.mkdirs();
        try (ChildProcess flume = FlumePeer.startAgent("flume-hdfs", flumeDir.toPath(),
                conf(flumeDir, "/flume").writeTo(flumeDir.toPath()), "a1");
                ChildProcess sluice = SluiceCli.startAgent("sluice-hdfs", sluiceDir.toPath(),
                        conf(sluiceDir, "/sluice").writeTo(sluiceDir.toPath()), "a1")) {
            for (String root : List.of("/flume", "/sluice")) {
                ChildProcess agent = root.equals("/flume") ? flume : sluice;
                await("three closed files under " + root).atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .failFast("agent exited: " + agent.logFile(), () -> !agent.isAlive())
                        .until(() -> !closedFiles(root + "/seq").isEmpty() && !closedFiles(root + "/avro").isEmpty()
                                && !closedFiles(root + "/text").isEmpty() && textLines(root + "/text").size() == EVENTS);
            }
        }

        List<String> text = textLines("/sluice/text");
        assertThat(text).hasSize(EVENTS);
        assertThat(text).containsExactlyElementsOf(textLines("/flume/text"));

        List<String> seq = sequenceRecords("/sluice/seq");
        assertThat(seq).hasSize(EVENTS).allMatch(r -> r.startsWith("1700000000000 "));
        assertThat(seq).containsExactlyElementsOf(sequenceRecords("/flume/seq"));

        List<String> avro = avroRecords("/sluice/avro");
        assertThat(avro).hasSize(EVENTS + 1);
        assertThat(avro.subList(1, avro.size())).allMatch(r -> r.contains("origin=parity"));
        assertThat(avro).containsExactlyElementsOf(avroRecords("/flume/avro"));
    }

    private static List<Path> closedFiles(String dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(new Path(dir))) {
            return out;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(dir), true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            if (p.getName().endsWith(".tmp")) {
                return List.of();
            }
            out.add(p);
        }
        out.sort(null);
        return out;
    }

    private static List<String> textLines(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : closedFiles(dir)) {
            try (InputStream in = fs.open(p)) {
                out.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
            }
        }
        return out;
    }

    /** {@code <key> <value as UTF-8>} per record; the key and value classes are checked to be Flume's. */
    private static List<String> sequenceRecords(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : closedFiles(dir)) {
            readSequenceFile(p, out);
        }
        return out;
    }

    private static void readSequenceFile(Path p, List<String> out) throws IOException {
        try (SequenceFile.Reader r = new SequenceFile.Reader(fs.getConf(), SequenceFile.Reader.file(p))) {
            assertThat(r.getKeyClass()).isEqualTo(LongWritable.class);
            assertThat(r.getValueClass()).isEqualTo(BytesWritable.class);
            LongWritable key = new LongWritable();
            BytesWritable value = new BytesWritable();
            while (r.next(key, value)) {
                out.add(key.get() + " " + new String(value.copyBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** The writer's schema (of the first file), then {@code <sorted headers> <body as UTF-8>} per record. */
    private static List<String> avroRecords(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : closedFiles(dir)) {
            readAvroFile(p, out);
        }
        return out;
    }

    private static void readAvroFile(Path p, List<String> out) throws IOException {
        try (InputStream in = fs.open(p);
                DataFileStream<GenericRecord> r = new DataFileStream<>(in, new GenericDatumReader<>())) {
            if (out.isEmpty()) {
                out.add("schema " + r.getSchema());
            }
            for (GenericRecord rec : r) {
                Map<String, String> headers = new TreeMap<>();
                ((Map<?, ?>) rec.get("headers")).forEach((k, v) -> headers.put(k.toString(), v.toString()));
                ByteBuffer body = (ByteBuffer) rec.get("body");
                byte[] b = new byte[body.remaining()];
                body.get(b);
                out.add(headers + " " + new String(b, StandardCharsets.UTF_8));
            }
        }
    }
}
