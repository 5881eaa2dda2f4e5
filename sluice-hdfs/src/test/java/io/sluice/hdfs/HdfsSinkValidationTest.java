package io.sluice.hdfs;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.agent.ValidationReport;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refused configuration names its key, its value, the rule and the fix; no HDFS is needed. */
class HdfsSinkValidationTest {

    private static List<String> problems(String channelType, Map<String, String> sinkKeys) {
        ValidationReport r = Agents.validate(Agents.hdfsAgent(channelType, sinkKeys));
        return r.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    private static List<String> problems(Map<String, String> sinkKeys) {
        return problems("memory", sinkKeys);
    }

    @Test
    void aFlumeConfigurationWithTheFlumeClassNameIsAccepted() {
        ValidationReport r = Agents.validate(Agents.hdfsAgent("memory", Map.of("type",
                "org.apache.flume.sink.hdfs.HDFSEventSink", "hdfs.path", "file:///tmp/x/%Y", "hdfs.fileType",
                "CompressedStream", "hdfs.codeC", "gzip", "hdfs.round", "true", "hdfs.roundUnit", "hour",
                "hdfs.roundValue", "6", "hdfs.useLocalTimeStamp", "true", "serializer", "header_and_text")));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void thePathIsRequired() {
        assertThat(problems(Map.of())).anySatisfy(p -> assertThat(p).contains("a1.sinks.k1.hdfs.path"));
    }

    @Test
    void codecsAreCheckedAgainstTheFileType() {
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.fileType", "DataStream", "hdfs.codeC", "gzip")))
                .singleElement().satisfies(p -> assertThat(p).contains("a1.sinks.k1.hdfs.codeC = gzip")
                        .contains("DataStream"));
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.fileType", "CompressedStream")))
                .singleElement().satisfies(p -> assertThat(p).contains("hdfs.codeC").contains("required"));
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.fileType", "Parquet")))
                .singleElement().satisfies(p -> assertThat(p).contains("hdfs.fileType = Parquet")
                        .contains("SequenceFile, DataStream or CompressedStream"));
    }

    @Test
    void aCodecHadoopDoesNotKnowOrCannotLoadIsRefusedByName() {
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.codeC", "lzo")))
                .singleElement().satisfies(p -> assertThat(p).contains("hdfs.codeC = lzo")
                        .contains("not a compression codec Hadoop knows").contains("gzip"));
        for (String codec : List.of("gzip", "bzip2", "deflate", "GzipCodec", "org.apache.hadoop.io.compress.BZip2Codec",
                "none")) {
            assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.codeC", codec))).as(codec).isEmpty();
        }
    }

    @Test
    void zstdWithoutHadoopsNativeLibraryIsRefusedNamingIt() {
        // the test JVM has no libhadoop, so Hadoop's ZStandardCodec cannot compress here
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.codeC", "zstd")))
                .singleElement().satisfies(p -> assertThat(p).contains("hdfs.codeC = zstd")
                        .contains("cannot be loaded by the Hadoop client here").contains("ZStandardCodec"));
    }

    @Test
    void roundingAndTimeKeysAreChecked() {
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.round", "true", "hdfs.roundUnit", "minute",
                "hdfs.roundValue", "61"))).singleElement().satisfies(p -> assertThat(p)
                        .contains("hdfs.roundValue = 61").contains("between 1 and 60"));
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.roundUnit", "day")))
                .singleElement().satisfies(p -> assertThat(p).contains("hdfs.roundUnit = day"));
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.timeZone", "Mars/Olympus")))
                .singleElement().satisfies(p -> assertThat(p).contains("hdfs.timeZone = Mars/Olympus"));
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x/%[hostname]")))
                .singleElement().satisfies(p -> assertThat(p).contains("%[hostname]").contains("%[FQDN]"));
    }

    @Test
    void kerberosNeedsBothPrincipalAndAReadableKeytab() {
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.kerberosPrincipal", "flume/_HOST@EXAMPLE.COM")))
                .singleElement().satisfies(p -> assertThat(p).contains("hdfs.kerberosKeytab").contains("required"));
        assertThat(problems(Map.of("hdfs.path", "file:///tmp/x", "hdfs.kerberosPrincipal", "flume@EXAMPLE.COM",
                "hdfs.kerberosKeytab", "/nonexistent/flume.keytab"))).singleElement().satisfies(p -> assertThat(p)
                        .contains("hdfs.kerberosKeytab = /nonexistent/flume.keytab").contains("not a readable file"));
    }

    @Test
    void exactlyOnceNeedsAFileChannelWithThisSinkAsItsOnlyConsumer() {
        assertThat(problems("memory", Map.of("hdfs.path", "file:///tmp/x", "hdfs.exactlyOnce", "true")))
                .singleElement().satisfies(p -> assertThat(p).contains("a1.sinks.k1.hdfs.exactlyOnce = true")
                        .contains("needs a file channel").contains("a1.channels.c1.type = file"));
        Map<String, String> props = Agents.hdfsAgent("file", Map.of("hdfs.path", "file:///tmp/x", "hdfs.exactlyOnce",
                "true"));
        props.put("a1.sinks", "k1 k2");
        props.put("a1.sinks.k2.type", "logger");
        props.put("a1.sinks.k2.channel", "c1");
        assertThat(Agents.validate(props).problems()).map(ConfigProblem::toString)
                .singleElement().satisfies(p -> assertThat(p).contains("only sink of channel 'c1'").contains("k2"));
        props.put("a1.sinks.k2.channel", "c2");
        props.put("a1.channels", "c1 c2");
        props.put("a1.channels.c2.type", "memory");
        assertThat(Agents.validate(props).problems()).isEmpty();
    }
}
