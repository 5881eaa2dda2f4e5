package io.sluice.sql.agent.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectBackoffTest {
    @Test
    void failuresDoubleTheWaitUpToTheMaximumAndAnAcceptedAttemptStartsOver() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            waits.add(b.next(false).toSeconds());
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        assertThat(b.next(true)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aMinimumAboveTheMaximumIsRefused() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("expected: 0 < min <= max");
    }
}
