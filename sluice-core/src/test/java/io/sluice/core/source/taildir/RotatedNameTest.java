package io.sluice.core.source.taildir;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which names count as a rotation of a followed file ({@link FileTracker#rotatedName}). */
class RotatedNameTest {
    private static final Path LOG = Path.of("/var/log/app/app.log");

    /** logrotate (numbered, {@code dateext}, {@code dateformat}, {@code extension}), log4j, logback, Python. */
    @ParameterizedTest
    @ValueSource(strings = {"app.log.1", "app.log.2.gz", "app.log-20261207", "app.log-20261207.gz",
        "app.log.2026-12-07", "app.log_2026-12-07", "app.log-copied-17", "app-20261207.log", "app.1.log",
        "app-2026-12-07.log", "app.2026-12-07.log", "app-2026-12-07.3.log.gz", "app_1.log", "app-20261207.log.gz"})
    void rotationNamesOfAppLog(String name) {
        assertThat(FileTracker.rotatedName(LOG, LOG.resolveSibling(name))).as(name).isTrue();
    }

    /** Other logs of the same application, other applications, and the file itself. */
    @ParameterizedTest
    @ValueSource(strings = {"app.err", "app.err.log", "app.logger", "app.log2", "app.log", "app.log.", "app.out",
        "application.log", "app-.log", "app-x.log", "apps.1.log", "other.log.1", "app", "app.", "app.1.logx"})
    void notRotationNamesOfAppLog(String name) {
        assertThat(FileTracker.rotatedName(LOG, LOG.resolveSibling(name))).as(name).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"messages.1", "messages-20261207", "messages.2.gz"})
    void rotationNamesOfANameWithoutExtension(String name) {
        Path messages = Path.of("/var/log/messages");
        assertThat(FileTracker.rotatedName(messages, messages.resolveSibling(name))).as(name).isTrue();
        assertThat(FileTracker.rotatedName(messages, messages.resolveSibling("messages2"))).isFalse();
    }
}
