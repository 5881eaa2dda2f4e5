package io.sluice.sql.kafka;

import io.sluice.sql.RtsqlEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A KAFKA stream's PROPERTIES: checked when the stream is declared, each problem with its fix. */
class KafkaStreamConfigTest {
    @Test
    void missingServersAndGroupAreBothReported() {
        assertThat(KafkaStreamConfig.check("clicks", Map.of()))
                .anySatisfy(p -> assertThat(p).contains("'bootstrap.servers' is missing"))
                .anySatisfy(p -> assertThat(p).contains("'group.id' is missing"))
                .hasSize(2);
    }

    @Test
    void misspelledKeysGetAHintAndOwnedKeysAreRefused() {
        assertThat(KafkaStreamConfig.check("clicks", Map.of("bootstrap.servers", "h:9092", "group.id", "g",
                "max.pol.records", "10", "enable.auto.commit", "true", "value.deserializer", "x",
                "auto.commit.interval.ms", "0")))
                .anySatisfy(p -> assertThat(p).contains("'max.pol.records' is not a Kafka consumer setting"
                        + " (did you mean 'max.poll.records'?)"))
                .anySatisfy(p -> assertThat(p).contains("'enable.auto.commit' = 'true'").contains("remove the key"))
                .anySatisfy(p -> assertThat(p).contains("'value.deserializer' = 'x'"))
                .anySatisfy(p -> assertThat(p).contains("'auto.commit.interval.ms' = '0'"))
                .hasSize(4);
    }

    @Test
    void defaultsReadFromTheStartAndCommitEveryFiveSeconds() {
        KafkaStreamConfig c = KafkaStreamConfig.parse("clicks", Map.of("bootstrap.servers", "h:9092",
                "group.id", "g", "max.poll.records", "50"));
        assertThat(c.commitIntervalMs()).isEqualTo(5_000);
        assertThat(c.consumer()).containsEntry("auto.offset.reset", "earliest").containsEntry("max.poll.records", "50")
                .containsEntry("enable.auto.commit", "false").containsEntry("group.id", "g");
    }

    @Test
    void theEngineRefusesABadStreamWhenItIsDeclared() throws Exception {
        try (RtsqlEngine e = new RtsqlEngine()) {
            assertThatThrownBy(() -> e.execute("CREATE STREAM c (user STRING) FROM KAFKA TOPIC 'clicks'"
                    + " PROPERTIES ('bootstrap.server' = '127.0.0.1:9092', 'group.id' = 'g')"))
                    .hasMessageContaining("line 1:15: KAFKA TOPIC 'clicks': 'bootstrap.server' is not a Kafka consumer"
                            + " setting (did you mean 'bootstrap.servers'?)")
                    .hasMessageContaining("'bootstrap.servers' is missing");
            assertThat(e.execute("SHOW STREAMS").rows()).isEmpty();
        }
    }
}
