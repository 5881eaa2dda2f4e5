package io.sluice.bench.files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesScenarioTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(FilesScenario.ONLY);
    }

    @Test
    void everySourceIsMeasuredUnlessSomeAreNamed() {
        assertThat(FilesScenario.benches()).hasSize(3);
        System.setProperty(FilesScenario.ONLY, "syslogtcp");
        assertThat(FilesScenario.benches()).singleElement().isInstanceOf(SyslogTcpBench.class);
        System.setProperty(FilesScenario.ONLY, "spooldir , syslogtcp");
        assertThat(FilesScenario.benches()).hasSize(2).first().isInstanceOf(SpoolDirBench.class);
    }

    @Test
    void anUnknownSourceIsRefusedWithTheKnownOnes() {
        System.setProperty(FilesScenario.ONLY, "syslog");
        assertThatThrownBy(FilesScenario::benches).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dsluice.bench.files: unknown source 'syslog' (expected some of taildir, spooldir,"
                        + " syslogtcp)");
    }
}
