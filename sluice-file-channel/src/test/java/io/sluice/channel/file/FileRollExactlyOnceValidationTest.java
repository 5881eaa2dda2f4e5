package io.sluice.channel.file;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.agent.Agent;
import io.sluice.testing.EmbeddedAgent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sink.exactlyOnce} of {@code file_roll} is refused unless the sink alone reads a file channel. */
class FileRollExactlyOnceValidationTest {
    @TempDir
    Path dir;

    private Map<String, String> agent(String channelType) {
        Map<String, String> p = new HashMap<>(Map.of("a1.sources", "r1", "a1.channels", "c1", "a1.sinks", "k1",
                "a1.sources.r1.type", "seq", "a1.sources.r1.channels", "c1", "a1.channels.c1.type", channelType,
                "a1.sinks.k1.type", "file_roll", "a1.sinks.k1.channel", "c1", "a1.sinks.k1.sink.directory",
                dir.resolve("out").toString(), "a1.sinks.k1.sink.exactlyOnce", "true"));
        if (channelType.equals("file")) {
            p.put("a1.channels.c1.checkpointDir", dir.resolve("cp").toString());
            p.put("a1.channels.c1.dataDirs", dir.resolve("data").toString());
        }
        return p;
    }

    private static List<String> problems(Map<String, String> props) {
        return Agent.validate(EmbeddedAgent.spec("a1", props)).problems().stream().map(ConfigProblem::toString)
                .toList();
    }

    @Test
    void exactlyOnceNeedsAFileChannelThatThisSinkAloneReads() {
        assertThat(problems(agent("file"))).isEmpty();
        assertThat(problems(agent("memory"))).singleElement().satisfies(p -> assertThat(p)
                .contains("a1.sinks.k1.sink.exactlyOnce = true").contains("needs a file channel")
                .contains("a1.channels.c1.type = file"));
        Map<String, String> two = agent("file");
        two.put("a1.sinks", "k1 k2");
        two.put("a1.sinks.k2.type", "null");
        two.put("a1.sinks.k2.channel", "c1");
        assertThat(problems(two)).singleElement().satisfies(p -> assertThat(p).contains("only sink of channel 'c1'")
                .contains("k2"));
    }
}
