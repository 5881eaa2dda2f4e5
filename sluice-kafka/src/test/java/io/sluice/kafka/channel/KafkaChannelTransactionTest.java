package io.sluice.kafka.channel;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaChannelTransactionTest {

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, null, new byte[0]);
    }

    @Test
    void aTakeCommitsTheOffsetAfterTheLastRecordOfEachPartitionItTook() {
        // Partitions interleave when a poll returns several; each partition's records still come in order.
        List<ConsumerRecord<String, byte[]>> taken = List.of(record("t", 0, 5), record("t", 0, 6), record("t", 1, 3),
                record("t", 0, 7), record("u", 0, 40), record("t", 1, 4), record("t", 1, 5));

        assertThat(KafkaChannelTransaction.nextOffsets(taken)).isEqualTo(Map.of(
                new TopicPartition("t", 0), new OffsetAndMetadata(8),
                new TopicPartition("t", 1), new OffsetAndMetadata(6),
                new TopicPartition("u", 0), new OffsetAndMetadata(41)));
    }
}
