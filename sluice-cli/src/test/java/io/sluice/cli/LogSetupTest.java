package io.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Apache Flume's -Dflume.root.logger=LEVEL,APPENDER applied to Logback. */
// SLF4J's Logger and Logback's Logger share their simple name here.
@SuppressWarnings("checkstyle:InlineFullyQualifiedName")
class LogSetupTest {
    @TempDir
    Path dir;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level before = root.getLevel();

    @AfterEach
    void restore() throws Exception {
        context.reset();
        new ContextInitializer(context).autoConfig();
        root.setLevel(before);
    }

    @Test
    void theLastMinusDAmongTheArgumentsWins() {
        assertThat(LogSetup.systemProperty(new String[] {"agent", "-Dflume.root.logger=INFO,console",
                "-Dflume.root.logger=DEBUG,console"}, "flume.root.logger")).isEqualTo("DEBUG,console");
    }

    @Test
    void levelAndConsoleSetTheRootLevel() {
        assertThat(LogSetup.applyRootLogger("debug,console", null, null)).isTrue();
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(LogSetup.applyRootLogger("WARN", null, null)).isTrue();
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void logfileWritesToFlumeLogDirAndFile() throws Exception {
        assertThat(LogSetup.applyRootLogger("INFO,LOGFILE", dir.toString(), "agent.log")).isTrue();
        LoggerFactory.getLogger("test").info("into the log file");
        assertThat(Files.readString(dir.resolve("agent.log"))).contains("INFO  [").contains("test - into the log file");
    }

    @Test
    void badLevelOrAppenderLeavesLoggingUnchanged() {
        root.setLevel(Level.INFO);
        assertThat(LogSetup.applyRootLogger("LOUD,console", null, null)).isFalse();
        assertThat(LogSetup.applyRootLogger("DEBUG,syslog", null, null)).isFalse();
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void aFlumeLog4jFileInTheConfDirectoryGetsAHint() throws Exception {
        Files.writeString(dir.resolve("log4j2.xml"), "<Configuration/>");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogSetup.configure(new String[] {"agent", "-n", "a1", "-c", dir.toString()});
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains(dir.resolve("log4j2.xml") + " is not read: Sluice logs with Logback");
    }
}
