package io.sluice.kafka.source;

import io.sluice.core.agent.Agent;
import io.sluice.testing.EmbeddedAgent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source's consumer defaults and its per-event header map (no broker needed: nothing starts). */
class KafkaSourceDefaultsTest {
    private static KafkaSourceConfig config(String... extra) throws Exception {
        String props = String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = org.apache.flume.source.kafka.KafkaSource", "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = 127.0.0.1:9", "a1.sources.r1.kafka.topics = in",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 10000",
                "a1.channels.c1.transactionCapacity = 5000", "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1",
                String.join("\n", extra));
        Agent agent = Agent.create(EmbeddedAgent.spec("a1", EmbeddedAgent.properties(props)));
        return ((KafkaSource) agent.sources().get("r1")).config();
    }

    @Test
    void aBatchIsOnePollUnlessTheUserSaysOtherwise() throws Exception {
        assertThat(config().consumerProperties()).as("batchSize 1000").containsEntry("max.poll.records", 1000);
        assertThat(config("a1.sources.r1.batchSize = 5000").consumerProperties())
                .containsEntry("max.poll.records", 5000);
        assertThat(config("a1.sources.r1.batchSize = 10").consumerProperties())
                .as("never below Kafka's 500").containsEntry("max.poll.records", 500);
        assertThat(config("a1.sources.r1.kafka.consumer.max.poll.records = 77").consumerProperties())
                .containsEntry("max.poll.records", "77");
    }

    @Test
    void recordHeadersKeepTheirOrderAndCannotChange() {
        String[] names = RecordHeaderMap.layout("timestamp", "topic", "partition", "offset");
        Map<String, String> headers = new RecordHeaderMap(names, new String[] {"17", "logs", "3", "42"});
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("timestamp", "17");
        expected.put("topic", "logs");
        expected.put("partition", "3");
        expected.put("offset", "42");
        assertThat(headers).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(List.copyOf(headers.keySet())).containsExactly("timestamp", "topic", "partition", "offset");
        assertThat(headers.get(new String("offset"))).isEqualTo("42");
        assertThat(headers.get("key")).isNull();
        assertThat(headers.get(null)).isNull();
        assertThat(headers.containsKey("topic")).isTrue();
        assertThatThrownBy(() -> headers.put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.remove("topic")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(RecordHeaderMap.layout("timestamp", "offset", "partition", "offset")).as("a name twice").isNull();
    }
}
