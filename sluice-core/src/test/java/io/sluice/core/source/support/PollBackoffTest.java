package io.sluice.core.source.support;

import io.sluice.api.ComponentKind;
import io.sluice.api.PollableSource;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.source.seq.SeqSourceFactory;
import io.sluice.core.source.stress.StressSourceFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Apache Flume's backoffSleepIncrement / maxBackoffSleep of pollable sources reach their runners. */
class PollBackoffTest {

    @Test
    void seqAndStressReadFlumesBackoffKeys() {
        SingleComponentConfig seq = SingleComponentConfig.of(ComponentKind.SOURCE, "r1",
                "backoffSleepIncrement", "250", "maxBackoffSleep", "750");
        PollableSource s = (PollableSource) new SeqSourceFactory().create(seq.context());
        assertThat(seq.problems()).isEmpty();
        assertThat(seq.warnings()).isEmpty();
        assertThat(s.backOffSleepIncrementMillis()).isEqualTo(250);
        assertThat(s.maxBackOffSleepMillis()).isEqualTo(750);

        SingleComponentConfig stress = SingleComponentConfig.of(ComponentKind.SOURCE, "r2", "maxBackoffSleep", "9000");
        PollableSource t = (PollableSource) new StressSourceFactory().create(stress.context());
        assertThat(t.backOffSleepIncrementMillis()).isEqualTo(1000);
        assertThat(t.maxBackOffSleepMillis()).isEqualTo(9000);
    }

    @Test
    void aZeroIncrementIsAProblem() {
        SingleComponentConfig seq = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "backoffSleepIncrement", "0");
        new SeqSourceFactory().create(seq.context());
        assertThat(seq.problems()).singleElement().satisfies(p -> assertThat(p.key()).endsWith("backoffSleepIncrement"));
    }
}
