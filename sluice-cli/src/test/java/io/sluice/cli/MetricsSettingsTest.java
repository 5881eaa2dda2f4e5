package io.sluice.cli;

import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsSettingsTest {

    @Test
    void offWithoutAnyOption() {
        assertThat(MetricsSettings.resolve(null, "127.0.0.1", Map.of()).enabled()).isFalse();
    }

    @Test
    void metricsPortOptionEnablesTheServer() {
        assertThat(MetricsSettings.resolve(5555, "127.0.0.1", Map.of()))
                .isEqualTo(new MetricsSettings(true, "127.0.0.1", 5555));
    }

    @Test
    void flumeMonitoringPropertiesEnableTheServer() {
        Map<String, String> d = Map.of("flume.monitoring.type", "http", "flume.monitoring.port", "34545");

        assertThat(MetricsSettings.resolve(null, "127.0.0.1", d)).isEqualTo(new MetricsSettings(true, "127.0.0.1", 34545));
    }

    @Test
    void httpTypeWithoutPortUsesFlumesDefaultPort() {
        assertThat(MetricsSettings.resolve(null, "127.0.0.1", Map.of("flume.monitoring.type", "HTTP")).port())
                .isEqualTo(41414);
    }

    @Test
    void anUnsupportedMonitoringTypeIsRefusedWithTheAlternative() {
        assertThatThrownBy(() -> MetricsSettings.resolve(null, "127.0.0.1", Map.of("flume.monitoring.type", "ganglia")))
                .hasMessageContaining("flume.monitoring.type = ganglia")
                .hasMessageContaining("only 'http' is supported");
    }

    @Test
    void aPortOutOfRangeNamesTheRange() {
        assertThatThrownBy(() -> MetricsSettings.resolve(null, "127.0.0.1",
                Map.of("flume.monitoring.type", "http", "flume.monitoring.port", "70000")))
                .hasMessage("flume.monitoring.port = 70000: out of range (expected: 0-65535)");
        assertThatThrownBy(() -> MetricsSettings.resolve(null, "127.0.0.1",
                Map.of("flume.monitoring.type", "http", "flume.monitoring.port", "web")))
                .hasMessage("flume.monitoring.port = web: not a number (expected: 0-65535)");
    }
}
