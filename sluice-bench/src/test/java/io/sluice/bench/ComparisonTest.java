package io.sluice.bench;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComparisonTest {

    @Test
    void finalLineReportsMediansAndTheirRatio() {
        Comparison c = new Comparison("memory-pipeline", "flume", List.of(15.0e6, 12.0e6, 18.0e6),
                List.of(9.0e6, 10.0e6, 8.0e6));

        assertThat(c.finalLine())
                .isEqualTo("scenario=memory-pipeline sluice_eps=15000000 flume_eps=9000000 ratio=1.67");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Comparison.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void peerNameNamesTheColumn() {
        Comparison c = new Comparison("sql-join", "esper", List.of(3.0), List.of(2.0));

        assertThat(c.finalLine()).isEqualTo("scenario=sql-join sluice_eps=3 esper_eps=2 ratio=1.50");
    }

    @Test
    void aComparisonWithoutRunsIsRefused() {
        assertThatThrownBy(() -> new Comparison("x", "flume", List.of(), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one run per side");
    }
}
