package io.sluice.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses the logging configuration before anything logs: {@code <conf dir>/logback.xml} when
 * {@code -c/--conf <dir>} of {@code agent}, {@code validate} or {@code demo} names a directory that holds one, unless
 * {@code -Dlogback.configurationFile} is already set for the JVM; else the file named by
 * {@code -Dsluice.default.logback} ({@code bin/sluice} sets it to the distribution's
 * {@code conf/logback.xml}); else Logback finds the {@code logback.xml} built into the launcher
 * jar (the same: INFO to the console).
 */
final class LogSetup {
    static final String LOGBACK_PROPERTY = "logback.configurationFile";
    /** Set by {@code bin/sluice}: the distribution's {@code conf/logback.xml}, used when no {@code -c} names one. */
    static final String DEFAULT_PROPERTY = "sluice.default.logback";

    private LogSetup() {
    }

    static void configure(String[] args) {
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
        if (confDir != null && Files.isRegularFile(confDir.resolve("logback.xml"))) {
            System.setProperty(LOGBACK_PROPERTY, confDir.resolve("logback.xml").toAbsolutePath().toString());
            return;
        }
        String fallback = System.getProperty(DEFAULT_PROPERTY);
        if (fallback != null && Files.isRegularFile(Path.of(fallback))) {
            System.setProperty(LOGBACK_PROPERTY, fallback);
        }
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
