package io.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Chooses the logging configuration before anything logs: {@code <conf dir>/logback.xml} when
 * {@code -c/--conf <dir>} of {@code agent}, {@code validate} or {@code demo} names a directory that holds one, unless
 * {@code -Dlogback.configurationFile} is already set for the JVM; else the file named by
 * {@code -Dsluice.default.logback} ({@code bin/sluice} sets it to the distribution's
 * {@code conf/logback.xml}); else Logback finds the {@code logback.xml} built into the launcher
 * jar (the same: INFO to the console).
 *
 * <p>Then Apache Flume's {@code -Dflume.root.logger=LEVEL,APPENDER} (given to the command or the
 * JVM) sets the root level; the appender {@code console} keeps the console, {@code LOGFILE} logs
 * to {@code ${flume.log.dir}/${flume.log.file}} (default {@code ./logs/flume.log}) instead, as
 * Flume's {@code log4j2.xml} does.
 */
// SLF4J's Logger and Logback's Logger share their simple name here.
@SuppressWarnings("checkstyle:InlineFullyQualifiedName")
final class LogSetup {
    static final String LOGBACK_PROPERTY = "logback.configurationFile";
    /** Set by {@code bin/sluice}: the distribution's {@code conf/logback.xml}, used when no {@code -c} names one. */
    static final String DEFAULT_PROPERTY = "sluice.default.logback";
    static final String ROOT_LOGGER_PROPERTY = "flume.root.logger";
    static final String LOG_DIR_PROPERTY = "flume.log.dir";
    static final String LOG_FILE_PROPERTY = "flume.log.file";

    private LogSetup() {
    }

    static void configure(String[] args) {
        chooseConfiguration(args);
        String rootLogger = systemProperty(args, ROOT_LOGGER_PROPERTY);
        if (rootLogger != null) {
            applyRootLogger(rootLogger, systemProperty(args, LOG_DIR_PROPERTY), systemProperty(args, LOG_FILE_PROPERTY));
        }
    }

    private static void chooseConfiguration(String[] args) {
        if (System.getProperty(LOGBACK_PROPERTY) != null) {
            return;
        }
        if (args.length == 0 || !(args[0].equals("agent") || args[0].equals("validate") || args[0].equals("demo"))) {
            String fallback = System.getProperty(DEFAULT_PROPERTY);
            if (fallback != null && Files.isRegularFile(Path.of(fallback))) {
                System.setProperty(LOGBACK_PROPERTY, fallback);
            }
            return;
        }
        Path confDir = confDir(args);
        if (confDir != null && !Files.isRegularFile(confDir.resolve("logback.xml"))) {
            for (String log4j : new String[] {"log4j2.xml", "log4j.properties"}) {
                if (Files.isRegularFile(confDir.resolve(log4j))) {
                    System.err.println("sluice: " + confDir.resolve(log4j) + " is not read: Sluice logs with Logback; set the"
                            + " level with -Dflume.root.logger=LEVEL,console or put a logback.xml in " + confDir);
                    break;
                }
            }
        }
        if (confDir != null && Files.isRegularFile(confDir.resolve("logback.xml"))) {
            System.setProperty(LOGBACK_PROPERTY, confDir.resolve("logback.xml").toAbsolutePath().toString());
            return;
        }
        String fallback = System.getProperty(DEFAULT_PROPERTY);
        if (fallback != null && Files.isRegularFile(Path.of(fallback))) {
            System.setProperty(LOGBACK_PROPERTY, fallback);
        }
    }

    /** The value of {@code -Dname=value} among the arguments (the last one), else the JVM's system property. */
    static String systemProperty(String[] args, String name) {
        String found = null;
        for (String a : args) {
            if (a.startsWith("-D" + name + "=")) {
                found = a.substring(name.length() + 3);
            }
        }
        return found != null ? found : System.getProperty(name);
    }

    /**
     * Applies {@code LEVEL[,APPENDER]} to Logback's root logger; a bad level or appender is reported
     * on stderr and leaves logging as it was.
     *
     * @return whether the value was applied
     */
    static boolean applyRootLogger(String value, String logDir, String logFile) {
        String[] parts = value.split(",", -1);
        Level level = Level.toLevel(parts[0].trim().toUpperCase(Locale.ROOT), null);
        if (level == null) {
            System.err.println("sluice: -D" + ROOT_LOGGER_PROPERTY + "=" + value + ": unknown level '" + parts[0].trim()
                    + "' (expected: TRACE, DEBUG, INFO, WARN, ERROR or OFF, e.g. INFO,console); logging is unchanged");
            return false;
        }
        String appender = parts.length > 1 ? parts[1].trim() : "console";
        if (!appender.equalsIgnoreCase("console") && !appender.equalsIgnoreCase("LOGFILE")) {
            System.err.println("sluice: -D" + ROOT_LOGGER_PROPERTY + "=" + value + ": unknown appender '" + appender
                    + "' (expected: console or LOGFILE); logging is unchanged");
            return false;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        if (appender.equalsIgnoreCase("LOGFILE")) {
            Path file = Path.of(logDir == null || logDir.isBlank() ? "logs" : logDir,
                    logFile == null || logFile.isBlank() ? "flume.log" : logFile);
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n");
            encoder.start();
            FileAppender<ILoggingEvent> out = new FileAppender<>();
            out.setContext(context);
            out.setName("LOGFILE");
            out.setFile(file.toString());
            out.setEncoder(encoder);
            out.start();
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                if (a instanceof ConsoleAppender) {
                    root.detachAppender(a);
                }
            }
            root.addAppender(out);
        }
        return true;
    }

    /** The value of {@code -c DIR}, {@code --conf DIR} or {@code --conf=DIR}, if present. */
    static Path confDir(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("-c") || a.equals("--conf")) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (a.startsWith("--conf=")) {
                return Path.of(a.substring("--conf=".length()));
            }
        }
        return null;
    }
}
