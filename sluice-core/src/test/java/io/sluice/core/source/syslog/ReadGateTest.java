package io.sluice.core.source.syslog;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadGateTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ReadGate gate = new ReadGate(channel);

    private boolean reading() {
        return channel.config().isAutoRead();
    }

    @Test
    void readingPausesAboveTheHighMarkAndResumesOnlyAtTheLowMark() {
        gate.handedOver(ReadGate.HIGH_BYTES);
        assertThat(reading()).as("at the high mark").isTrue();
        gate.handedOver(1);
        assertThat(reading()).as("above the high mark").isFalse();
        gate.taken(ReadGate.HIGH_BYTES - ReadGate.LOW_BYTES);
        assertThat(reading()).as("between the marks, coming down").isFalse();
        gate.taken(1);
        assertThat(reading()).as("at the low mark").isTrue();
        gate.handedOver(ReadGate.HIGH_BYTES - ReadGate.LOW_BYTES);
        assertThat(reading()).as("between the marks, going up").isTrue();
    }

    @Test
    void aRefusedBatchKeepsReadingPausedWhateverTheBytes() {
        gate.refused(true);
        assertThat(reading()).isFalse();
        gate.handedOver(10);
        gate.taken(10);
        assertThat(reading()).as("nothing waits for the handler, but the refused batch does").isFalse();
        gate.refused(false);
        assertThat(reading()).isTrue();
    }

    @Test
    void aCommittedRefusedBatchDoesNotResumeWhileTheHandlerIsBehind() {
        gate.handedOver(ReadGate.HIGH_BYTES + 1);
        gate.refused(true);
        gate.refused(false);
        assertThat(reading()).isFalse();
        gate.taken(ReadGate.HIGH_BYTES + 1);
        assertThat(reading()).isTrue();
    }
}
